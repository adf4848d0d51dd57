import assert from "node:assert/strict";
import { describe, it } from "node:test";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { BinaryReadingRows } from "../src/store/postgres/binary-copy.js";
import { timestamptzText } from "../src/store/postgres/postgres-time.js";
import { createTestDatabase, testPostgres } from "./support/test-postgres.js";

const cluster = testPostgres();

type Row = [meter: number, time: number, value: number | null];

const rows: Row[] = [
  [1, Date.UTC(2019, 0, 1, 0, 15), 55.09],
  [1, Date.UTC(2019, 0, 1, 0, 30), null],
  [1, Date.UTC(2019, 0, 1, 0, 30, 0, 1), 5e-324],
  [2, -62_135_596_800_000, 1e308],
  [2, -62_135_596_800_000 + 1, -1.5],
  [2, 253_402_300_799_999, 2 ** 53],
  [3, 0, 0],
  [2_147_483_647, Date.UTC(1970, 0, 1, 0, 0, 0, 999), -Number.MAX_VALUE],
];

/** The binary output of COPY (SELECT meter, time, value ...) TO STDOUT, as PostgreSQL writes it for `rows`. */
async function copiedOut(url: string): Promise<Buffer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const source = client.query(
      copyTo(`COPY (SELECT r.meter::int4, r.time::timestamptz, r.value::float8 FROM (VALUES ${rows
        .map(([meter, time, value]) => `(${meter}, '${timestamptzText(time)}', ${value === null ? "NULL" : `'${value}'`})`)
        .join(", ")}) AS r (meter, time, value) ORDER BY 1, 2) TO STDOUT (FORMAT binary)`),
    );
    const pieces: Buffer[] = [];
    for await (const piece of source) pieces.push(piece as Buffer);
    return Buffer.concat(pieces);
  } finally {
    await client.end();
  }
}

function readAll(pieces: Buffer[]): Row[] {
  const read: Row[] = [];
  const reader = new BinaryReadingRows((meter, time, value) => read.push([meter, time, value]));
  for (const piece of pieces) reader.push(piece);
  reader.finish();
  return read;
}

describe("old readings read from a binary COPY", { skip: cluster.skip }, () => {
  it("come back exactly, in the years 1 to 9999, missing values and all, however the stream cuts the bytes", async () => {
    const database = await createTestDatabase(cluster.url!);
    try {
      const bytes = await copiedOut(database.url);
      const expected = [...rows].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      assert.deepEqual(readAll([bytes]), expected);
      assert.deepEqual(readAll([...bytes].map((byte) => Buffer.from([byte]))), expected);
      for (const cut of [1, 7, 19, 20, 45]) assert.deepEqual(readAll([bytes.subarray(0, cut), bytes.subarray(cut)]), expected);
      assert.throws(() => readAll([bytes.subarray(0, bytes.length - 3)]), /ended in the middle of a row/);
    } finally {
      await database.drop();
    }
  });
});

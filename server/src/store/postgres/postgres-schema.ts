import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { firstMeterName } from "../../meters/meter.js";
import { SortedRowsChunker } from "../chunks/chunk-writer.js";
import { schemaLock } from "./advisory-locks.js";
import { BinaryReadingRows, binaryChunkRow, binaryCopyHeader, binaryCopyTrailer } from "./binary-copy.js";
import { copyChunksStatement } from "./postgres-copy.js";
import { inTransaction } from "./postgres-transaction.js";

/** The schema this version writes, named in the chunks table's comment. */
export const schemaVersion = 3;

const meterTable = `
  CREATE TABLE meters (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    count bigint NOT NULL DEFAULT 0,
    first_time timestamptz,
    last_time timestamptz,
    unit text NOT NULL DEFAULT '',
    time_zone text NOT NULL DEFAULT 'UTC'
  );`;

/**
 * Readings live in chunks: a row holds up to a few hundred readings of one meter, encoded by
 * server/src/chunks, with what they add up to beside the bytes, so that summaries and usage read
 * whole chunks without decoding them; the primary key finds a meter's chunks by start. Meters
 * hold the figures every write keeps current, so listing them reads no chunks.
 *
 * Laid out for size (see the README's Storage section): the 8-byte columns first, then the
 * 4-byte ones, then the bytes, so that no column waits on padding; the bytes are stored as they
 * are (STORAGE EXTERNAL), since they are compressed already and pglz would spend CPU to gain
 * nothing, and rows stay in the table up to a page (toast_tuple_target) rather than move to
 * TOAST above 2 kB. No foreign key ties a chunk to its meter: every write creates its meter
 * first, in its own transaction, and no meter is ever deleted.
 */
const chunkTable = `
  CREATE TABLE chunks (
    start bigint NOT NULL,                -- epoch milliseconds of its first reading, UTC
    span bigint NOT NULL,                 -- milliseconds from its first reading to its last
    value_sum double precision NOT NULL,
    value_min double precision,           -- NULL when no reading has a value
    value_max double precision,
    meter integer NOT NULL,
    value_count integer NOT NULL,         -- readings with a value
    missing_count integer NOT NULL,       -- readings without one
    data bytea NOT NULL,                  -- the readings, as encodeChunk wrote them
    PRIMARY KEY (meter, start)
  ) WITH (toast_tuple_target = 8160);
  ALTER TABLE chunks ALTER COLUMN data SET STORAGE EXTERNAL;
  COMMENT ON TABLE chunks IS 'meterusage schema ${schemaVersion}: one meter''s readings a row';`;

/**
 * Brings the database to this version's schema in one transaction: an empty database gets
 * the tables; one written before meters existed (a readings table keyed by time alone) has its
 * readings become the meter `meterusage`; one with a row a reading (schema 2, or the first
 * version with meters, which had foreign keys to meters) has its readings rewritten as chunks
 * and its readings and totals tables dropped. Service processes that start together take
 * turns, under an advisory lock, so exactly one of them does the work; a failure or a crash
 * half-way rolls back to the old tables, whole, and the next start tries again.
 */
export async function createSchema(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${schemaLock})`);
    const { rows } = await client.query<{ meters: boolean; readings: boolean }>(
      `SELECT to_regclass('meters') IS NOT NULL AS meters, to_regclass('readings') IS NOT NULL AS readings`,
    );
    const { meters, readings } = rows[0];
    if (!meters) {
      await client.query(meterTable + chunkTable);
      if (readings) await moveSingleSeries(pool, client);
    } else if (readings) {
      await client.query(chunkTable);
      await rewriteAsChunks(pool, client, "SELECT meter, time, value FROM readings ORDER BY meter, time");
      await client.query("DROP TABLE IF EXISTS readings, usage_hours, usage_days");
    }
  });
}

async function moveSingleSeries(pool: pg.Pool, client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<[number]>({
    text: `INSERT INTO meters (name, count, first_time, last_time)
             SELECT $1, count(*), min(time), max(time) FROM readings HAVING count(*) > 0 RETURNING id`,
    values: [firstMeterName],
    rowMode: "array",
  });
  if (rows.length > 0) await rewriteAsChunks(pool, client, `SELECT ${rows[0][0]}, time, value FROM readings ORDER BY time`);
  await client.query("DROP TABLE readings");
}

/**
 * Writes old readings as chunks, meter by meter in time order: `select` lists (meter, time,
 * value) rows in that order. The rows stream out of one COPY, in binary, on a second
 * connection, and the chunks into another, on the upgrading transaction's, as they are made:
 * memory holds a chunk at a time, and no row passes through the driver's row parsing. The old
 * table is locked against writes first, so that the second connection reads what the
 * transaction would; the transaction still owns every change, and a failure rolls it all back.
 */
async function rewriteAsChunks(pool: pg.Pool, client: pg.PoolClient, select: string): Promise<void> {
  await client.query("LOCK TABLE readings IN SHARE MODE");
  const reader = await pool.connect();
  let failed = false;
  try {
    await pipeline(
      reader.query(copyTo(`COPY (SELECT q.meter::int4, q.time::timestamptz, q.value::float8 FROM (${select}) AS q (meter, time, value)) TO STDOUT (FORMAT binary)`)),
      chunkRowsOf,
      client.query(copyFrom(copyChunksStatement)),
    );
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    // A connection whose COPY broke off may be mid-message: it is closed rather than pooled.
    reader.release(failed);
  }
}

/**
 * Chunk rows sent at once: a piece of old rows (tens of kilobytes) makes a chunk or two, and
 * sending each as it came cost a socket write and a message apiece. Few enough that the
 * chunks still flow into the table while the old rows flow out.
 */
const sentBytes = 64 << 10;

/** Binary COPY rows of old readings in, binary COPY rows of chunks out. */
async function* chunkRowsOf(pieces: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let made: Buffer[] = [binaryCopyHeader];
  let madeBytes = 0;
  const chunker = new SortedRowsChunker((meter, writes) => {
    for (const write of writes) {
      const row = binaryChunkRow(meter, write);
      made.push(row);
      madeBytes += row.length;
    }
  });
  const rows = new BinaryReadingRows((meter, time, value) => chunker.add(meter, time, value));
  for await (const piece of pieces) {
    rows.push(piece);
    if (madeBytes >= sentBytes) {
      yield Buffer.concat(made);
      made = [];
      madeBytes = 0;
    }
  }
  rows.finish();
  chunker.finish();
  made.push(binaryCopyTrailer);
  yield Buffer.concat(made);
}

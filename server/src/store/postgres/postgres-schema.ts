import type pg from "pg";
import { firstMeterName } from "../../meters/meter.js";
import { SortedRowsChunker } from "../chunks/chunk-writer.js";
import { CopiedChunks } from "./postgres-copy.js";
import { millisOf } from "./postgres-time.js";

// Any fixed number: the advisory lock only has to be the same in every process.
const schemaLock = 5_837_219;

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

/** How many old rows the upgrade reads at a time. */
const upgradePage = 65_536;

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
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock(${schemaLock})`);
    const { rows } = await client.query<{ meters: boolean; readings: boolean }>(
      `SELECT to_regclass('meters') IS NOT NULL AS meters, to_regclass('readings') IS NOT NULL AS readings`,
    );
    const { meters, readings } = rows[0];
    if (!meters) {
      await client.query(meterTable + chunkTable);
      if (readings) await moveSingleSeries(client);
    } else if (readings) {
      await client.query(chunkTable);
      await rewriteAsChunks(client, `SELECT meter, ${millisOf("time")}, value FROM readings ORDER BY meter, time`);
      await client.query("DROP TABLE IF EXISTS readings, usage_hours, usage_days");
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function moveSingleSeries(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<[number]>({
    text: `INSERT INTO meters (name, count, first_time, last_time)
             SELECT $1, count(*), min(time), max(time) FROM readings HAVING count(*) > 0 RETURNING id`,
    values: [firstMeterName],
    rowMode: "array",
  });
  if (rows.length > 0) await rewriteAsChunks(client, `SELECT ${rows[0][0]}, ${millisOf("time")}, value FROM readings ORDER BY time`);
  await client.query("DROP TABLE readings");
}

/** Writes old readings as chunks, meter by meter in time order: `select` lists (meter, epoch ms, value) rows in that order. */
async function rewriteAsChunks(client: pg.PoolClient, select: string): Promise<void> {
  const copied = new CopiedChunks();
  const chunker = new SortedRowsChunker((meter, writes) => copied.add(meter, writes));
  await client.query(`DECLARE old_readings NO SCROLL CURSOR FOR ${select}`);
  for (;;) {
    const { rows } = await client.query<[number, string, number | null]>({ text: `FETCH ${upgradePage} FROM old_readings`, rowMode: "array" });
    for (const [meter, time, value] of rows) chunker.add(meter, Number(time), value);
    if (copied.isFull) await copied.apply(client);
    if (rows.length < upgradePage) break;
  }
  chunker.finish();
  await client.query("CLOSE old_readings");
  await copied.apply(client);
}

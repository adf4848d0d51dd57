import type pg from "pg";
import { firstMeterName } from "../../meters/meter.js";
import { usageLevels } from "../usage-totals.js";

// Any fixed number: the advisory lock only has to be the same in every process.
const schemaLock = 5_837_219;

const utcStart = (unit: string, column: string) => `date_trunc('${unit}', ${column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;

/**
 * Readings keyed by meter, then time: the primary key's btree serves every range of a meter,
 * and summaries scan just the range's part of it. Meters hold the figures every write keeps
 * current; usage_hours and usage_days each meter's readings added up per UTC hour and day,
 * kept current likewise. No foreign key ties a row to its meter: every write creates its
 * meter first, in its own transaction, and no meter is ever deleted, while a key checked row
 * by row made an import's COPY several times slower.
 */
const tables = `
  CREATE TABLE meters (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    count bigint NOT NULL DEFAULT 0,
    first_time timestamptz,
    last_time timestamptz,
    unit text NOT NULL DEFAULT '',
    time_zone text NOT NULL DEFAULT 'UTC'
  );
  CREATE TABLE readings (
    meter integer NOT NULL,
    time timestamptz NOT NULL,
    value double precision,  -- NULL when the meter reported no value
    PRIMARY KEY (meter, time)
  );
  ${usageLevels
    .map(
      ({ table }) => `
  CREATE TABLE ${table} (
    meter integer NOT NULL,
    span_start timestamptz NOT NULL,
    value_count bigint NOT NULL,
    missing_count bigint NOT NULL,
    value_sum double precision NOT NULL,
    value_min double precision,
    value_max double precision,
    PRIMARY KEY (meter, span_start)
  );`,
    )
    .join("")}
`;

const singleSeriesMove = `
  INSERT INTO meters (name, count, first_time, last_time)
    SELECT '${firstMeterName}', count(*), min(time), max(time) FROM single_series_readings HAVING count(*) > 0;
  INSERT INTO readings (meter, time, value) SELECT m.id, r.time, r.value FROM single_series_readings r, meters m;
  ${usageLevels
    .map(
      ({ table, unit }) => `
  INSERT INTO ${table} (meter, span_start, value_count, missing_count, value_sum, value_min, value_max)
    SELECT m.id, ${utcStart(unit, "r.time")} AS span, count(r.value), count(*) - count(r.value),
           coalesce(sum(r.value), 0), min(r.value), max(r.value)
    FROM single_series_readings r, meters m GROUP BY m.id, span;`,
    )
    .join("")}
  DROP TABLE single_series_readings;
`;

// The foreign keys from readings and the totals to meters that the first schema with meters
// had, as statements that drop them.
const meterForeignKeyDrops = `
  SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname)
  FROM pg_constraint WHERE contype = 'f' AND confrelid = 'meters'::regclass`;

/**
 * Brings the database to this version's schema in one transaction: an empty database gets
 * the tables; one written before meters existed (a readings table keyed by time alone) has
 * its readings moved to the meter `meterusage`, with that meter's figures and hourly usage;
 * one written by the first version with meters loses its foreign keys to meters.
 * Service processes that start together take turns, under an advisory lock, so exactly one
 * of them does the work; a failure half-way rolls back to the old tables, whole.
 */
export async function createSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock(${schemaLock})`);
    const { rows } = await client.query<{ meters: boolean; readings: boolean }>(
      `SELECT to_regclass('meters') IS NOT NULL AS meters, to_regclass('readings') IS NOT NULL AS readings`,
    );
    if (!rows[0].meters) {
      if (rows[0].readings) await client.query("ALTER TABLE readings RENAME TO single_series_readings; ALTER INDEX readings_pkey RENAME TO single_series_readings_pkey");
      await client.query(tables);
      if (rows[0].readings) await client.query(singleSeriesMove);
    } else {
      const drops = await client.query<[string]>({ text: meterForeignKeyDrops, rowMode: "array" });
      for (const [drop] of drops.rows) await client.query(drop);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

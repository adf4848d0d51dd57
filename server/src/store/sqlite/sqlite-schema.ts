import type Database from "better-sqlite3";
import { firstMeterName } from "../../meters/meter.js";
import { usageLevels } from "../usage-totals.js";

/** The schema this version writes; `PRAGMA user_version` holds it. Version 1 had no meters. */
export const schemaVersion = 2;

/**
 * Readings are keyed by meter, then time, in a table without rowids: the key's btree is the
 * table, so one meter's range is one contiguous stretch of it, and a reading costs no second
 * index. Meters hold the figures every write keeps current, so listing them reads no readings.
 * usage_hours and usage_days hold each meter's readings added up per UTC hour and day, kept
 * current by every write, so usage per calendar period reads days and hours, not readings.
 */
const tables = `
  CREATE TABLE meters (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    count INTEGER NOT NULL DEFAULT 0,
    first_time INTEGER,
    last_time INTEGER,
    unit TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT 'UTC'
  ) STRICT;
  CREATE TABLE readings (
    meter INTEGER NOT NULL,
    time INTEGER NOT NULL,  -- epoch milliseconds, UTC
    value REAL,             -- NULL when the meter reported no value
    PRIMARY KEY (meter, time)
  ) STRICT, WITHOUT ROWID;
  ${usageLevels.map(({ table }) => `
  CREATE TABLE ${table} (
    meter INTEGER NOT NULL,
    span_start INTEGER NOT NULL,  -- epoch milliseconds of the UTC hour's or day's start
    value_count INTEGER NOT NULL,
    missing_count INTEGER NOT NULL,
    value_sum REAL NOT NULL,
    value_min REAL,
    value_max REAL,
    PRIMARY KEY (meter, span_start)
  ) STRICT, WITHOUT ROWID;`).join("")}
`;

const spanStartOf = (time: string, width: number) => `(${time} - ((${time} % ${width}) + ${width}) % ${width})`;

/**
 * Brings a database to this version's schema in one transaction: a new file gets the tables;
 * a store written before meters existed has its readings moved to the meter `meterusage`,
 * with that meter's figures and hourly usage worked out from them. A crash half-way rolls
 * back to the old store, whole.
 */
export function upgradeSchema(db: Database.Database): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > schemaVersion) {
      throw new Error(`the store was written by a newer meterusage (schema ${version}; this one knows up to ${schemaVersion})`);
    }
    if (version < schemaVersion) {
      const singleSeries = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'readings'").get() !== undefined;
      if (singleSeries) db.exec("ALTER TABLE readings RENAME TO single_series_readings");
      db.exec(tables);
      if (singleSeries) moveSingleSeries(db);
      db.pragma(`user_version = ${schemaVersion}`);
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

function moveSingleSeries(db: Database.Database): void {
  const held = db.prepare("SELECT count(*) AS count, min(time) AS first, max(time) AS last FROM single_series_readings").get() as {
    count: number;
    first: number | null;
    last: number | null;
  };
  if (held.count > 0) {
    db.prepare("INSERT INTO meters (id, name, count, first_time, last_time) VALUES (1, ?, ?, ?, ?)").run(
      firstMeterName,
      held.count,
      held.first,
      held.last,
    );
    db.exec(`
      INSERT INTO readings (meter, time, value) SELECT 1, time, value FROM single_series_readings ORDER BY time;
      ${usageLevels
        .map(
          ({ table, width }) => `
      INSERT INTO ${table} (meter, span_start, value_count, missing_count, value_sum, value_min, value_max)
        SELECT 1, ${spanStartOf("time", width)} AS span, count(value), count(*) - count(value), total(value), min(value), max(value)
        FROM single_series_readings GROUP BY span;`,
        )
        .join("")}
    `);
  }
  db.exec("DROP TABLE single_series_readings");
}

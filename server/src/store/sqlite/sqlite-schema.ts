import Database from "better-sqlite3";
import { firstMeterName } from "../../meters/meter.js";
import { SortedRowsChunker } from "../chunks/chunk-writer.js";
import { SqliteChunks } from "./sqlite-chunks.js";

/**
 * The schema this version writes; `PRAGMA user_version` holds it. Version 1 had no meters;
 * version 2 kept a row a reading, with hourly and daily totals beside them.
 */
export const schemaVersion = 3;

/**
 * Meters hold the figures every write keeps current, so listing them reads no readings.
 * Readings live in chunks: a row holds up to a few hundred readings of one meter, encoded
 * (server/src/chunks), with what they add up to beside the bytes, so that summaries and usage
 * read whole chunks without decoding them. The rowid table is filled in the order chunks are
 * written, which packs its pages; the index finds a meter's chunks by start. See the README's
 * Storage section for why this layout and these sizes.
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
  ) STRICT;`;
const chunkTables = `
  CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    meter INTEGER NOT NULL,
    start INTEGER NOT NULL,          -- epoch milliseconds of its first reading, UTC
    span INTEGER NOT NULL,           -- milliseconds from its first reading to its last
    value_count INTEGER NOT NULL,    -- readings with a value
    missing_count INTEGER NOT NULL,  -- readings without one
    value_sum REAL NOT NULL,
    value_min REAL,
    value_max REAL,
    data BLOB NOT NULL               -- the readings, as encodeChunk wrote them
  ) STRICT;
  CREATE UNIQUE INDEX chunks_by_meter ON chunks (meter, start);`;

/**
 * Brings a database to this version's schema in one transaction: a new file gets the tables;
 * a store of version 2 has its readings rewritten as chunks and its totals dropped; one
 * written before meters existed has its readings become the meter `meterusage` first. A crash
 * or failure half-way rolls back to the old store, whole, and the next start tries again.
 */
export function upgradeSchema(db: Database.Database): { rewritten: boolean } {
  let rewritten = false;
  db.exec("BEGIN IMMEDIATE");
  try {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > schemaVersion) {
      throw new Error(`the store was written by a newer meterusage (schema ${version}; this one knows up to ${schemaVersion})`);
    }
    if (version < schemaVersion) {
      const hasReadings = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'readings'").get() !== undefined;
      rewritten = hasReadings;
      if (version < 2) {
        if (hasReadings) db.exec("ALTER TABLE readings RENAME TO single_series_readings");
        db.exec(tables);
        db.exec(chunkTables);
        if (hasReadings) moveSingleSeries(db);
      } else {
        db.exec(chunkTables);
        rewriteAsChunks(db, "SELECT meter, time, value FROM readings WHERE (meter, time) > (@meter, @time) ORDER BY meter, time LIMIT @limit");
        db.exec("DROP TABLE readings; DROP TABLE usage_hours; DROP TABLE usage_days;");
      }
      db.pragma(`user_version = ${schemaVersion}`);
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
  return { rewritten };
}

/**
 * After a rewrite the old tables' pages are free but still in the file, which stays the size
 * a row a reading made it: VACUUM gives them back. Where no other connection has the store
 * open, it leaves WAL mode for the VACUUM, which then moves the file to pages of `pageSize`
 * too (a page size cannot change in WAL mode). A crash in between leaves the store whole,
 * and the next opening sets WAL mode again.
 */
export function compactAfterRewrite(db: Database.Database, pageSize: number): void {
  if (db.pragma("journal_mode = DELETE", { simple: true }) === "delete") db.pragma(`page_size = ${pageSize}`);
  db.exec("VACUUM");
  db.pragma("journal_mode = WAL");
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
    rewriteAsChunks(db, "SELECT 1, time, value FROM single_series_readings WHERE time > @time ORDER BY time LIMIT @limit");
  }
  db.exec("DROP TABLE single_series_readings");
}

/** Old readings a page holds: enough that a statement's start costs little beside its rows, few enough to stay in the CPU's caches. */
const rowsPerPage = 8192;

/**
 * Writes old readings as chunks, meter by meter in time order. `page` reads the (meter, time,
 * value) rows after (@meter, @time) in that order, up to @limit of them. Pages read with all()
 * rather than a row at a time with an iterator: that took half as much again a row, two thirds
 * of the whole upgrade, and it held the connection, so that the chunks had to be written
 * through another.
 */
function rewriteAsChunks(db: Database.Database, page: string): void {
  const chunks = new SqliteChunks(db);
  const chunker = new SortedRowsChunker((meter, writes) => chunks.write(meter, writes));
  const rowsAfter = db.prepare<[{ meter: number; time: number; limit: number }], [meter: number, time: number, value: number | null]>(page).raw();
  let after = { meter: -Infinity, time: -Infinity, limit: rowsPerPage };
  for (;;) {
    const rows = rowsAfter.all(after);
    for (const [meter, time, value] of rows) chunker.add(meter, time, value);
    if (rows.length < rowsPerPage) break;
    const [meter, time] = rows[rows.length - 1];
    after = { meter, time, limit: rowsPerPage };
  }
  chunker.finish();
}

import type Database from "better-sqlite3";
import { syntheticMeter } from "./synthetic-readings.js";

/**
 * The store's layout before compressed chunks, a row a reading keyed by (meter, time), which
 * the references insert into and read from: what a plain SQLite table does with the same rows,
 * beside what the store does with its chunks. The synthetic meter is meter 1.
 */
export function createRowReference(database: Database.Database): void {
  database.exec(`
    CREATE TABLE meters (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE) STRICT;
    CREATE TABLE readings (
      meter INTEGER NOT NULL,
      time INTEGER NOT NULL,
      value REAL,
      PRIMARY KEY (meter, time)
    ) STRICT, WITHOUT ROWID;
  `);
  database.prepare("INSERT INTO meters (id, name) VALUES (1, ?)").run(syntheticMeter);
}

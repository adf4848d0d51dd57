import Database from "better-sqlite3";

/** One reading of a meter as the schema-2 store held it: [meter name, epoch ms, value or null]. */
export type Schema2Row = [meter: string, time: number, value: number | null];

/** Many readings made by SQLite itself: `meters` meters named generated-N, each `readings` 15 minutes apart from 2019. */
export interface GeneratedReadings {
  meters: number;
  readings: number;
}

/**
 * Writes a store as the last version with a row a reading (schema 2) left it: its tables as
 * that version created them, its meters with their figures, and the readings added up per UTC
 * hour and day, as every write of that version kept them.
 */
export function writeSchema2Store(path: string, rows: Iterable<Schema2Row>, generated?: GeneratedReadings): void {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.exec(`
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
      time INTEGER NOT NULL,
      value REAL,
      PRIMARY KEY (meter, time)
    ) STRICT, WITHOUT ROWID;
    ${["usage_days", "usage_hours"]
      .map(
        (table) => `
    CREATE TABLE ${table} (
      meter INTEGER NOT NULL,
      span_start INTEGER NOT NULL,
      value_count INTEGER NOT NULL,
      missing_count INTEGER NOT NULL,
      value_sum REAL NOT NULL,
      value_min REAL,
      value_max REAL,
      PRIMARY KEY (meter, span_start)
    ) STRICT, WITHOUT ROWID;`,
      )
      .join("")}
    PRAGMA user_version = 2;
  `);
  const createMeter = db.prepare("INSERT INTO meters (name, unit, time_zone) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING");
  const meterId = db.prepare<[string], number>("SELECT id FROM meters WHERE name = ?").pluck();
  const insert = db.prepare("INSERT INTO readings (meter, time, value) VALUES (?, ?, ?)");
  db.transaction(() => {
    let lastMeter: string | undefined;
    let lastId = 0;
    for (const [meter, time, value] of rows) {
      // A meter's rows come together in a bench's millions of them: its id is looked up once a run.
      if (meter !== lastMeter) {
        createMeter.run(meter, meter === "flat-2" ? "kWh" : "", meter === "flat-2" ? "Europe/London" : "UTC");
        [lastMeter, lastId] = [meter, meterId.get(meter)!];
      }
      insert.run(lastId, time, value);
    }
    for (let meter = 1; meter <= (generated?.meters ?? 0); meter++) {
      createMeter.run(`generated-${meter}`, "", "UTC");
      db.prepare(
        `WITH RECURSIVE n (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
         INSERT INTO readings (meter, time, value)
         SELECT ?, ? + i * 900000, CASE WHEN i % 1000 = 7 THEN NULL ELSE abs(random() % 100000) / 1000.0 END FROM n`,
      ).run(generated!.readings, meterId.get(`generated-${meter}`), Date.UTC(2019, 0, 1));
    }
    db.exec(`
      UPDATE meters SET count = (SELECT count(*) FROM readings WHERE meter = id),
        first_time = (SELECT min(time) FROM readings WHERE meter = id), last_time = (SELECT max(time) FROM readings WHERE meter = id);
      INSERT INTO usage_hours SELECT meter, time - time % 3600000 AS span, count(value), count(*) - count(value), total(value), min(value), max(value)
        FROM readings GROUP BY meter, span;
      INSERT INTO usage_days SELECT meter, time - time % 86400000 AS span, count(value), count(*) - count(value), total(value), min(value), max(value)
        FROM readings GROUP BY meter, span;
    `);
  })();
  db.close();
}

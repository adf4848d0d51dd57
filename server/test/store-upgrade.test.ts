import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { bundledCsv } from "../src/package-paths.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { referenceData } from "./support/reference-data.js";
import { writeSchema2Database } from "./support/schema-2-database.js";
import { writeSchema2Store, type Schema2Row } from "./support/schema-2-store.js";
import { storedReadings } from "./support/stored-readings.js";
import { createTestDatabase, testPostgres } from "./support/test-postgres.js";
import { storedTallies } from "./support/stored-tallies.js";
import { temporaryFolder } from "./support/test-server.js";

/** The bundled file's rows as the previous version stored them: [epoch ms, value or null]. */
function bundledRows(): [number, number | null][] {
  return readFileSync(bundledCsv, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const [time, value] = line.split(",");
      return [Date.parse(`${time.replace(" ", "T")}Z`), value === "NaN" ? null : Number(value)];
    });
}

/** What a store upgraded from the single series must hold: the same readings, under meterusage, with figures and hours to match. */
async function assertUpgraded(store: ReadingStore, rows: [number, number | null][]): Promise<void> {
  assert.deepEqual(await store.meters(), [
    { name: "meterusage", count: rows.length, firstTime: rows[0][0], lastTime: rows.at(-1)![0], unit: "", timeZone: "UTC" },
  ]);
  assert.deepEqual(await storedReadings(store), rows.map(([time, value]) => ({ time, value })));
  const summary = await store.summarize("meterusage", {});
  assert.equal(summary.count, referenceData.count);
  assert.equal(summary.missingCount, 1);
  // The hourly totals the upgrade worked out answer usage as the readings themselves do.
  const days = Array.from({ length: 31 }, (_, day) => ({ start: Date.UTC(2019, 0, day + 1), end: Date.UTC(2019, 0, day + 2) }));
  const [tallies] = await storedTallies(store, ["meterusage"], days);
  days.forEach(({ start, end }, day) => {
    const values = rows.filter(([time, value]) => time >= start && time < end && value !== null).map(([, value]) => value!);
    assert.equal(tallies[day].count, values.length);
    assert.ok(Math.abs(tallies[day].sum - values.reduce((a, b) => a + b, 0)) < 1e-6);
  });
}

describe("a SQLite store written before meters existed", () => {
  let folder: string;
  const rows = bundledRows();
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  /** A file with the previous version's schema, as its SqliteStore created it, holding the bundled readings. */
  function previousVersionStore(name: string): string {
    const path = join(folder, name);
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE IF NOT EXISTS readings (time INTEGER PRIMARY KEY, value REAL) STRICT;");
    const insert = db.prepare("INSERT INTO readings (time, value) VALUES (?, ?)");
    db.transaction(() => rows.forEach(([time, value]) => insert.run(time, value)))();
    db.close();
    return path;
  }

  it("opens upgraded, its readings the meter meterusage, nothing lost, and opens again unchanged", async () => {
    const path = previousVersionStore("upgrade.db");
    const store = new SqliteStore(path);
    await assertUpgraded(store, rows);
    await store.close();
    const again = new SqliteStore(path);
    await assertUpgraded(again, rows);
    await again.close();
  });

  it("keeps the old store whole when the upgrade fails half-way, and upgrades once the cause is gone", async () => {
    const path = previousVersionStore("half-way.db");
    // An object the upgrade's own tables collide with makes it fail after it has begun moving readings.
    const blocker = new Database(path);
    blocker.exec("CREATE VIEW chunks AS SELECT 1");
    blocker.close();
    assert.throws(() => new SqliteStore(path), /chunks already exists/);
    const old = new Database(path, { readonly: true });
    assert.deepEqual(old.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(), ["readings"]);
    assert.deepEqual(old.prepare("SELECT time, value FROM readings ORDER BY time").raw().all(), rows);
    old.close();
    const unblocked = new Database(path);
    unblocked.exec("DROP VIEW chunks");
    unblocked.close();
    const store = new SqliteStore(path);
    await assertUpgraded(store, rows);
    await store.close();
  });
});

/**
 * Three meters as a store of schema 2 (a row a reading) held them: a regular meter with missing
 * values over two clock changes, one with irregular times and values of many decimals, and one
 * with a single reading.
 */
function schema2Rows(): Schema2Row[] {
  const rows: Schema2Row[] = [];
  let seed = 7;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  for (let i = 0; i < 30_000; i++) {
    const time = Date.UTC(2019, 0, 1) + i * 900_000;
    rows.push(["flat-1", time, i % 997 === 3 ? null : Math.round(random() * 100_000) / 1000]);
  }
  let time = Date.UTC(2018, 5, 1, 0, 0, 0, 1);
  for (let i = 0; i < 5_000; i++) {
    time += 1 + Math.floor(random() * (i % 500 === 0 ? 3e10 : 2e6));
    rows.push(["flat-2", time, i % 3 === 0 ? random() * 1e6 - 5e5 : Math.round(random() * 1e4) / 100]);
  }
  rows.push(["solo", Date.UTC(2020, 1, 29), 0.1]);
  return rows;
}

/** What a store upgraded from schema 2 must hold: every meter with its figures and settings, its readings, and usage to match. */
async function assertRewritten(store: ReadingStore, rows: Schema2Row[]): Promise<void> {
  const meters = await store.meters();
  assert.deepEqual(
    meters.map(({ name, count, firstTime, lastTime, unit, timeZone }) => [name, count, firstTime, lastTime, unit, timeZone]),
    ["flat-1", "flat-2", "solo"].map((name) => {
      const held = rows.filter(([meter]) => meter === name);
      const unit = name === "flat-2" ? "kWh" : "";
      return [name, held.length, held[0][1], held.at(-1)![1], unit, name === "flat-2" ? "Europe/London" : "UTC"];
    }),
  );
  for (const { name } of meters) {
    const held = rows.filter(([meter]) => meter === name);
    assert.deepEqual(await storedReadings(store, {}, name), held.map(([, time, value]) => ({ time, value })), name);
    // Usage from the chunks answers as the old hourly and daily totals did: the sum of the readings.
    const days = Array.from({ length: 40 }, (_, day) => ({ start: held[0][1] + day * 86_400_000 - 3_600_000, end: held[0][1] + (day + 1) * 86_400_000 - 3_600_000 }));
    const [tallies] = await storedTallies(store, [name], days);
    days.forEach(({ start, end }, day) => {
      const values = held.filter(([, time, value]) => time >= start && time < end && value !== null).map(([, , value]) => value!);
      assert.equal(tallies[day].count, values.length, `${name} day ${day}`);
      assert.ok(Math.abs(tallies[day].sum - values.reduce((a, b) => a + b, 0)) < 1e-6, `${name} day ${day}`);
    });
  }
}

describe("a SQLite store written with a row a reading (schema 2)", () => {
  let folder: string;
  const rows = schema2Rows();
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("opens with its readings rewritten as chunks, nothing lost, its totals tables gone, and opens again unchanged", async () => {
    const path = join(folder, "schema-2.db");
    writeSchema2Store(path, rows);
    const store = new SqliteStore(path);
    await assertRewritten(store, rows);
    await store.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma("user_version", { simple: true }), 3);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(), ["chunks", "meter_tariffs", "meters", "mqtt_registers", "tariff_prices", "tariffs"]);
    db.close();
    const again = new SqliteStore(path);
    await assertRewritten(again, rows);
    await again.close();
  });

  it("keeps the old store whole when the rewrite fails, and rewrites it once the cause is gone", async () => {
    const path = join(folder, "schema-2-blocked.db");
    writeSchema2Store(path, rows);
    const blocker = new Database(path);
    blocker.exec("CREATE VIEW chunks AS SELECT 1");
    blocker.close();
    assert.throws(() => new SqliteStore(path), /chunks already exists/);
    const old = new Database(path, { readonly: true });
    assert.equal(old.pragma("user_version", { simple: true }), 2);
    assert.equal(old.prepare("SELECT count(*) FROM readings").pluck().get(), rows.length);
    assert.equal(old.prepare("SELECT sum(value_count + missing_count) FROM usage_hours").pluck().get(), rows.length);
    old.close();
    const unblocked = new Database(path);
    unblocked.exec("DROP VIEW chunks");
    unblocked.close();
    const store = new SqliteStore(path);
    await assertRewritten(store, rows);
    await store.close();
  });
});

const cluster = testPostgres();

describe("a PostgreSQL database written before meters existed", { skip: cluster.skip }, () => {
  const rows = bundledRows();

  /** A database with the previous version's table, as its PostgresStore created it, holding the bundled readings. */
  async function previousVersionDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
    const database = await createTestDatabase(cluster.url!);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("CREATE TABLE IF NOT EXISTS readings (time timestamptz PRIMARY KEY, value double precision)");
    await client.query(
      "INSERT INTO readings (time, value) SELECT to_timestamp(t / 1000.0), v FROM unnest($1::bigint[], $2::float8[]) AS r (t, v)",
      [rows.map(([time]) => time), rows.map(([, value]) => value)],
    );
    await client.end();
    return database;
  }

  it("opens upgraded, its readings the meter meterusage, nothing lost, and opens again unchanged", async () => {
    const database = await previousVersionDatabase();
    try {
      const store = await PostgresStore.open(database.url);
      await assertUpgraded(store, rows);
      await store.close();
      const again = await PostgresStore.open(database.url);
      await assertUpgraded(again, rows);
      await again.close();
    } finally {
      await database.drop();
    }
  });

  it("keeps the old table whole when the upgrade fails half-way, and upgrades once the cause is gone", async () => {
    const database = await previousVersionDatabase();
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      // An object the upgrade's own tables collide with makes it fail after it has begun.
      await client.query("CREATE VIEW chunks AS SELECT 1");
      await assert.rejects(PostgresStore.open(database.url), /"chunks" already exists/);
      const tables = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      assert.deepEqual(tables.rows.map((row) => row.tablename), ["readings"]);
      const { rows: stored } = await client.query({ text: "SELECT (extract(epoch FROM time) * 1000)::bigint, value FROM readings ORDER BY time", rowMode: "array" });
      assert.deepEqual(stored.map(([time, value]) => [Number(time), value]), rows);
      await client.query("DROP VIEW chunks");
      const store = await PostgresStore.open(database.url);
      await assertUpgraded(store, rows);
      await store.close();
    } finally {
      await client.end();
      await database.drop();
    }
  });
});

describe("a PostgreSQL store written with a row a reading (schema 2)", { skip: cluster.skip }, () => {
  const rows = schema2Rows();

  async function tablesOf(url: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows: tables } = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      return tables.map((row) => row.tablename);
    } finally {
      await client.end();
    }
  }

  it("opens with its readings rewritten as chunks, nothing lost, its totals tables gone, and opens again unchanged", async () => {
    const database = await createTestDatabase(cluster.url!);
    try {
      await writeSchema2Database(database.url, rows);
      const store = await PostgresStore.open(database.url);
      await assertRewritten(store, rows);
      await store.close();
      assert.deepEqual(await tablesOf(database.url), ["chunks", "meter_tariffs", "meters", "mqtt_registers", "tariff_prices", "tariffs"]);
      const again = await PostgresStore.open(database.url);
      await assertRewritten(again, rows);
      await again.close();
    } finally {
      await database.drop();
    }
  });

  it("opens as the first version with meters wrote it, foreign keys to meters and all", async () => {
    const database = await createTestDatabase(cluster.url!);
    try {
      await writeSchema2Database(database.url, rows, { foreignKeys: true });
      const store = await PostgresStore.open(database.url);
      await assertRewritten(store, rows);
      await store.close();
      assert.deepEqual(await tablesOf(database.url), ["chunks", "meter_tariffs", "meters", "mqtt_registers", "tariff_prices", "tariffs"]);
    } finally {
      await database.drop();
    }
  });

  it("keeps the old store whole when the rewrite fails, and rewrites it once the cause is gone", async () => {
    const database = await createTestDatabase(cluster.url!);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await writeSchema2Database(database.url, rows);
      await client.query("CREATE VIEW chunks AS SELECT 1");
      await assert.rejects(PostgresStore.open(database.url), /"chunks" already exists/);
      assert.deepEqual(await tablesOf(database.url), ["meters", "readings", "usage_days", "usage_hours"]);
      const { rows: held } = await client.query({
        text: "SELECT (SELECT count(*) FROM readings), (SELECT sum(value_count + missing_count) FROM usage_hours)",
        rowMode: "array",
      });
      assert.deepEqual(held[0].map(Number), [rows.length, rows.length]);
      await client.query("DROP VIEW chunks");
      const store = await PostgresStore.open(database.url);
      await assertRewritten(store, rows);
      await store.close();
    } finally {
      await client.end();
      await database.drop();
    }
  });
});

import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { writeSchema2Database } from "../server/test/support/schema-2-database.js";
import { writeSchema2Store, type Schema2Row } from "../server/test/support/schema-2-store.js";
import { createTestDatabase, queryRows } from "../server/test/support/test-postgres.js";
import { fleetMeter, fleetValue, fleetYear, readingsPerMeterYear } from "./fleet-readings.js";
import type { PostgresCluster } from "./postgres-cluster.js";
import { result, type Measured, type Result } from "./results.js";
import { runWorker } from "./run-worker.js";
import { stepMs } from "./synthetic-readings.js";

export type UpgradedStore = "SQLite" | "PostgreSQL";

export const upgradeResultName = (store: UpgradedStore) => `${store}: upgrade in place of a store with a row a reading (schema 2)`;

const note = "a process of its own, timed from opening the old store to closing it rewritten; MB/s counts the old store's bytes";

/** Fleet meters' years as the last version with a row a reading held them, meter after meter. */
function* fleetRows(meters: number): Generator<Schema2Row> {
  for (let meter = 0; meter < meters; meter++) {
    for (let i = 0; i < readingsPerMeterYear; i++) yield [fleetMeter(meter), fleetYear.start + i * stepMs, fleetValue(meter, i)];
  }
}

/** An SQLite store of schema 2 holding `meters` fleet meters' years, opened by this version, which rewrites it as chunks. */
export async function measureSqliteUpgrade(folder: string, meters: number): Promise<Result> {
  const path = join(folder, "schema-2.db");
  writeSchema2Store(path, fleetRows(meters));
  try {
    const upgraded = await runWorker<Omit<Measured, "bytes">>("upgrade-store.ts", [path]);
    return result(meters * readingsPerMeterYear, upgradeResultName("SQLite"), [{ ...upgraded, bytes: statSync(path).size }], note);
  } finally {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
  }
}

/** The same on PostgreSQL: a database of schema 2 holding `meters` fleet meters' years, opened by this version. */
export async function measurePostgresUpgrade(cluster: PostgresCluster, meters: number): Promise<Result> {
  const database = await createTestDatabase(cluster.url);
  try {
    await writeSchema2Database(database.url, [...fleetRows(meters)]);
    // As an old store would be: its rows' hint bits set and autovacuum done with it, so that
    // neither the first read's writing of every page nor a concurrent autovacuum falls in the measurement.
    await queryRows(database.url, "VACUUM (FREEZE, ANALYZE)");
    const [[bytes]] = await queryRows<[string]>(database.url, "SELECT pg_database_size(current_database())");
    const upgraded = await runWorker<Omit<Measured, "bytes">>("upgrade-store.ts", [database.url]);
    return result(meters * readingsPerMeterYear, upgradeResultName("PostgreSQL"), [{ ...upgraded, bytes: Number(bytes) }], note);
  } finally {
    await database.drop();
  }
}

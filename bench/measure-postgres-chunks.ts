// The PostgreSQL store's chunks on a fleet, by themselves: import rate from the long CSV in both
// orders, bytes per reading counting every relation of the database, a meter's year read, and
// the upgrade of a store of schema 2.
//
//   npm run build && node --import tsx bench/measure-postgres-chunks.ts [meters, default 100]
//
// Uses METERUSAGE_BENCH_POSTGRES_URL or a throwaway cluster, as npm run bench does.

import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as PostgresStoreModule from "../server/src/store/postgres/postgres-store.js";
import { createTestDatabase, queryRows } from "../server/test/support/test-postgres.js";
import { writeSchema2Database } from "../server/test/support/schema-2-database.js";
import type { Schema2Row } from "../server/test/support/schema-2-store.js";
import { importWithCli } from "./cli-import.js";
import { importBuilt } from "./dist-modules.js";
import { fleetMeter, fleetValue, fleetYear, readingsPerMeterYear, writeFleetCsv, type FleetOrder } from "./fleet-readings.js";
import { findPostgresCluster } from "./postgres-cluster.js";
import { stepMs } from "./synthetic-readings.js";

const meters = Number(process.argv[2] ?? 100);
const readings = meters * readingsPerMeterYear;
const { PostgresStore } = await importBuilt<typeof PostgresStoreModule>("server/src/store/postgres/postgres-store.ts");
const cluster = findPostgresCluster();
if ("skip" in cluster) throw new Error(cluster.skip);
const folder = mkdtempSync(join(tmpdir(), "meterusage-pg-chunks-"));
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

try {
  const emptyDatabase = await createTestDatabase(cluster.url);
  const [[emptyBytes]] = await queryRows<[string]>(emptyDatabase.url, "SELECT pg_database_size(current_database())");
  await emptyDatabase.drop();

  for (const order of ["meter-major", "time-major"] as FleetOrder[]) {
    const csv = join(folder, `fleet-${order}.csv`);
    await writeFleetCsv(csv, meters, order);
    const database = await createTestDatabase(cluster.url);
    try {
      const imported = await importWithCli(csv, database.url, statSync(csv).size);
      console.log(
        `${order} import: ${fmt(imported.rows)} readings in ${imported.seconds.toFixed(2)} s, ${fmt(imported.rows / imported.seconds)} readings/s, peak RSS ${imported.peakRssMb.toFixed(0)} MB`,
      );
      if (order === "time-major") continue;
      await queryRows(database.url, "VACUUM ANALYZE");
      const relations = await queryRows<[string, string, string, string]>(
        database.url,
        `SELECT c.relname, pg_relation_size(c.oid), coalesce(pg_total_relation_size(c.reltoastrelid), 0), pg_indexes_size(c.oid)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY 1`,
      );
      let total = 0;
      for (const [name, heap, toast, indexes] of relations) {
        const bytes = Number(heap) + Number(toast) + Number(indexes);
        total += bytes;
        console.log(`  ${name}: table ${fmt(Number(heap))} B, TOAST ${fmt(Number(toast))} B, indexes ${fmt(Number(indexes))} B: ${(bytes / readings).toFixed(3)} B/reading`);
      }
      const [[databaseBytes]] = await queryRows<[string]>(database.url, "SELECT pg_database_size(current_database())");
      const [[chunks, dataBytes]] = await queryRows<[string, string]>(database.url, "SELECT count(*), sum(octet_length(data)) FROM chunks");
      console.log(
        `  every relation of the store: ${(total / readings).toFixed(3)} B/reading; the database beyond an empty one: ${((Number(databaseBytes) - Number(emptyBytes)) / readings).toFixed(3)} B/reading; ` +
          `${fmt(Number(chunks))} chunks, their bytes alone ${(Number(dataBytes) / readings).toFixed(3)} B/reading`,
      );

      const store = await PostgresStore.open(database.url);
      try {
        const rates: number[] = [];
        for (let i = 0; i < 7; i++) {
          const started = performance.now();
          let count = 0;
          for await (const batch of store.readBatches(fleetMeter((i * 37) % meters), fleetYear, 1000)) count += batch.length;
          rates.push(count / ((performance.now() - started) / 1000));
        }
        rates.sort((a, b) => a - b);
        console.log(`  a meter's year read (readBatches, in process): median ${fmt(rates[3])} readings/s over 7 meters`);
        const spans = Array.from({ length: 365 }, (_, day) => ({ start: fleetYear.start + day * 86_400_000, end: fleetYear.start + (day + 1) * 86_400_000 }));
        const times: number[] = [];
        for (let i = 0; i < 21; i++) {
          const started = performance.now();
          await store.tallyColumns([fleetMeter((i * 37) % meters)], spans);
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        console.log(`  tally of a meter's year by UTC day (in process): p50 ${times[10].toFixed(2)} ms`);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  }

  // The upgrade: a tenth of the fleet as schema 2 held it, rewritten to chunks on opening.
  const upgradeMeters = Math.max(1, Math.round(meters / 10));
  const rows: Schema2Row[] = [];
  for (let meter = 0; meter < upgradeMeters; meter++) {
    for (let i = 0; i < readingsPerMeterYear; i++) rows.push([fleetMeter(meter), fleetYear.start + i * stepMs, fleetValue(meter, i)]);
  }
  const database = await createTestDatabase(cluster.url);
  try {
    await writeSchema2Database(database.url, rows);
    const started = performance.now();
    const store = await PostgresStore.open(database.url);
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    console.log(`upgrade of schema 2 to chunks: ${fmt(rows.length)} readings in ${seconds.toFixed(2)} s, ${fmt(rows.length / seconds)} readings/s`);
  } finally {
    await database.drop();
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
  cluster.stop();
}

// CPU time, rather than elapsed time, of the PostgreSQL store's bulk work: this process (the
// file's parsing thread included) and the PostgreSQL cluster (every server process, those that
// ended meanwhile included), so that a change can be judged on a machine others are using.
//
//   npm run build && node --import tsx bench/measure-postgres-cpu.ts CSV [runs, default 3] [upgrade meters, default 10]
//
// Imports CSV (a long CSV, as `meterusage import` takes it) into a new database `runs` times,
// then upgrades a store of schema 2 holding `upgrade meters` meters' year `runs` times, and
// prints the median of each figure. Uses METERUSAGE_BENCH_POSTGRES_URL or a throwaway cluster.

import { readFileSync } from "node:fs";
import pg from "pg";
import type * as ImportFileModule from "../server/src/ingest/import-file.js";
import type * as PostgresStoreModule from "../server/src/store/postgres/postgres-store.js";
import { writeSchema2Database } from "../server/test/support/schema-2-database.js";
import type { Schema2Row } from "../server/test/support/schema-2-store.js";
import { createTestDatabase } from "../server/test/support/test-postgres.js";
import { importBuilt } from "./dist-modules.js";
import { fleetMeter, fleetValue, fleetYear, readingsPerMeterYear } from "./fleet-readings.js";
import { findPostgresCluster } from "./postgres-cluster.js";
import { stepMs } from "./synthetic-readings.js";

const [csv, runsArgument, upgradeArgument] = process.argv.slice(2);
if (csv === undefined) throw new Error("usage: measure-postgres-cpu.ts CSV [runs] [upgrade meters]");
const runs = Number(runsArgument ?? 3);
const upgradeMeters = Number(upgradeArgument ?? 10);
const { PostgresStore } = await importBuilt<typeof PostgresStoreModule>("server/src/store/postgres/postgres-store.ts");
const { importFile } = await importBuilt<typeof ImportFileModule>("server/src/ingest/import-file.ts");
const cluster = findPostgresCluster();
if ("skip" in cluster) throw new Error(cluster.skip);
const clusterUrl = cluster.url;
const clockTicks = 100;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** CPU seconds of the cluster: its postmaster, its children that ended (reaped into it), and those running. */
async function clusterCpuSeconds(): Promise<number> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  const postmaster = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${rows[0].pid}/status`, "utf8"))![1]);
  await client.end();
  const fields = (pid: number) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  const [, , , , , , , , , , , utime, stime, cutime, cstime] = fields(postmaster).map(Number);
  let ticks = utime + stime + cutime + cstime;
  const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  for (const child of children) {
    try {
      const [, , , , , , , , , , , childUtime, childStime] = fields(Number(child)).map(Number);
      ticks += childUtime + childStime;
    } catch {
      // Ended since the list was read: its time is in the postmaster's.
    }
  }
  return ticks / clockTicks;
}

interface Cpu {
  node: number;
  server: number;
}

async function measured(work: () => Promise<void>): Promise<Cpu> {
  const serverBefore = await clusterCpuSeconds();
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  // The backend of a closed connection ends a moment later: give the postmaster time to reap it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { node: (used.user + used.system) / 1e6, server: (await clusterCpuSeconds()) - serverBefore };
}

function report(label: string, readings: number, cpus: Cpu[]): void {
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const node = median(cpus.map((cpu) => cpu.node));
  const server = median(cpus.map((cpu) => cpu.server));
  console.log(
    `${label}: ${fmt(readings)} readings; CPU s (median of ${cpus.length}): this process ${node.toFixed(2)}, PostgreSQL ${server.toFixed(2)}, ` +
      `together ${(node + server).toFixed(2)}: ${fmt(readings / (node + server))} readings a CPU second`,
  );
}

try {
  const imports: Cpu[] = [];
  let stored = 0;
  for (let run = 0; run < runs; run++) {
    const database = await createTestDatabase(cluster.url);
    try {
      const store = await PostgresStore.open(database.url);
      imports.push(await measured(async () => void (stored = (await importFile(store, csv)).stored)));
      await store.close();
    } finally {
      await database.drop();
    }
  }
  if (runs > 0) report(`import of ${csv}`, stored, imports);

  const rows: Schema2Row[] = [];
  for (let meter = 0; meter < upgradeMeters; meter++) {
    for (let i = 0; i < readingsPerMeterYear; i++) rows.push([fleetMeter(meter), fleetYear.start + i * stepMs, fleetValue(meter, i)]);
  }
  const upgrades: Cpu[] = [];
  for (let run = 0; run < (upgradeMeters > 0 ? Math.max(runs, 1) : 0); run++) {
    const database = await createTestDatabase(cluster.url);
    try {
      await writeSchema2Database(database.url, rows);
      // As an old store would be: its rows' hint bits set and autovacuum done with it, so that neither falls in the measurement.
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query("VACUUM (FREEZE, ANALYZE)");
      await client.end();
      upgrades.push(await measured(async () => await (await PostgresStore.open(database.url)).close()));
    } finally {
      await database.drop();
    }
  }
  if (upgradeMeters > 0) report(`upgrade of schema 2 (${upgradeMeters} meters' year)`, rows.length, upgrades);
} finally {
  cluster.stop();
}

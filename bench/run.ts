// `npm run bench`: measures import, streaming, the JSON route, concurrency and range latency
// against their references on synthetic stores, prints a table and writes bench/results/latest.json.
// `--fleet` adds a store of 1,000 meters with a year each, set against the largest of them.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startChildServer } from "./child-server.js";
import { builtCli } from "./dist-modules.js";
import { measureAppends } from "./measure-appends.js";
import { measureCodec } from "./measure-codec.js";
import { measureConcurrency } from "./measure-concurrency.js";
import { measureFleet } from "./measure-fleet.js";
import { measureImport } from "./measure-import.js";
import { measureJson } from "./measure-json.js";
import { measureMqtt } from "./measure-mqtt.js";
import { measureRangeLatency } from "./measure-range-latency.js";
import { measurePostgres } from "./measure-postgres.js";
import { measureStreams, preparePythonReference } from "./measure-streams.js";
import { findPostgresCluster } from "./postgres-cluster.js";
import { formatReport } from "./report.js";
import type { Goal, Result } from "./results.js";
import { formatTargets, storageGoals } from "./storage-goals.js";
import { writeSyntheticCsv } from "./synthetic-readings.js";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1e5,1e6" },
    large: { type: "boolean", default: false },
    fleet: { type: "boolean", default: false },
    "fleet-meters": { type: "string", default: "1000" },
    "year-streams": { type: "string", default: "10" },
    "append-seconds": { type: "string", default: "3" },
    "no-postgres": { type: "boolean", default: false },
    "mqtt-messages": { type: "string", default: "200000" },
    repeats: { type: "string", default: "3" },
    streams: { type: "string", default: "50" },
    "latency-requests": { type: "string", default: "200" },
    out: { type: "string", default: join(import.meta.dirname, "results/latest.json") },
  },
});
const sizes = values.sizes.split(",").map(Number);
if (values.large) sizes.push(1e7);
const repeats = Number(values.repeats);
const streams = Number(values.streams);
/** 50 whole-store streams of 1e7 rows would move 9.5 GB and take most of an hour here. */
const largestConcurrentSize = 1e6;

if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run npm run build first`);
const started = performance.now();
const log = (message: string) => process.stderr.write(`bench [${((performance.now() - started) / 1000).toFixed(0)} s]: ${message}\n`);
const machine = {
  cpus: os.availableParallelism(),
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  memoryGb: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  commit: gitCommit(),
};
const folder = mkdtempSync(join(os.tmpdir(), "meterusage-bench-"));
const results: Result[] = [];
const goals: Goal[] = [];
const postgres = values["no-postgres"] ? { skip: "--no-postgres" } : findPostgresCluster();
if ("skip" in postgres) log(`PostgreSQL store not measured: ${postgres.skip}`);
try {
  const python = preparePythonReference(folder);
  if ("skip" in python) log(`Python reference (c) not measured: ${python.skip}`);
  const largest = Math.max(...sizes);
  let singleMeter: { db: string; size: number; importResult: Result } | undefined;
  for (const size of sizes) {
    const sizeFolder = join(folder, String(size));
    mkdirSync(sizeFolder);
    log(`${size} readings: writing the CSV`);
    const csv = join(sizeFolder, "readings.csv");
    await writeSyntheticCsv(csv, size);
    log(`${size} readings: import`);
    const imported = await measureImport(sizeFolder, csv, size, repeats);
    results.push(...imported.results);
    if (size === largest) singleMeter = { db: imported.db, size, importResult: imported.results[0] };
    const server = await startChildServer(process.execPath, [builtCli, "serve", "--port", "0", "--host", "127.0.0.1", "--db", imported.db]);
    try {
      log(`${size} readings: streams`);
      results.push(...(await measureStreams(server, imported.referenceDb, size, { folder: sizeFolder, repeats, python })));
      log(`${size} readings: JSON`);
      results.push(...(await measureJson(server, size, { folder: sizeFolder, repeats })));
      if (size <= largestConcurrentSize) {
        log(`${size} readings: ${streams} concurrent streams`);
        results.push(await measureConcurrency(server, size, streams, sizeFolder));
      }
      log(`${size} readings: range latency`);
      results.push(await measureRangeLatency(server, size, Number(values["latency-requests"])));
    } finally {
      await server.stop();
    }
    if (!("skip" in postgres)) {
      log(`${size} readings: PostgreSQL store`);
      results.push(...(await measurePostgres(postgres, csv, size, { folder: sizeFolder, repeats, sqlite: results })));
    }
    // The fleet is set against the largest store, so that one stays until the fleet is measured.
    if (!(values.fleet && size === largest)) rmSync(sizeFolder, { recursive: true, force: true });
  }
  results.push(...measureCodec(values.fleet ? Number(values["fleet-meters"]) : 100, log));
  if (values.fleet) {
    const fleet = await measureFleet({
      folder,
      meters: Number(values["fleet-meters"]),
      singleMeter: singleMeter!,
      postgres,
      requests: Number(values["latency-requests"]),
      streams: Number(values["year-streams"]),
      log,
    });
    results.push(...fleet.results);
    goals.push(...fleet.goals);
  }
  results.push(...(await measureMqtt({ folder, messages: Number(values["mqtt-messages"]), latencySeconds: 10, log })));
  // Last: with PostgreSQL, it restarts the cluster with fsync on.
  const appendsFolder = join(folder, "appends");
  mkdirSync(appendsFolder);
  results.push(...(await measureAppends({ folder: appendsFolder, postgres, seconds: Number(values["append-seconds"]), rounds: 6, log })));
} finally {
  rmSync(folder, { recursive: true, force: true });
  if (!("skip" in postgres)) postgres.stop();
}

goals.unshift(...results.flatMap((result) => result.goals.map((goal) => ({ ...goal, text: `${goal.text} [${result.size}]` }))), ...flatness(results));
const seconds = (performance.now() - started) / 1000;
const machineLine = `${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, commit ${machine.commit}; ran ${seconds.toFixed(0)} s`;
const targets = storageGoals(results);
console.log(`${formatReport(results, goals, machineLine)}\n\n${formatTargets(targets)}`);
mkdirSync(join(values.out, ".."), { recursive: true });
writeFileSync(values.out, `${JSON.stringify({ machine, command: process.argv.slice(2), seconds, results, goals, targets }, null, 2)}\n`);
log(`wrote ${values.out}`);

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "(not a git checkout)";
  }
}

/** The server's peak RSS must not grow with the rows it serves: compares the smallest and largest store. */
function flatness(all: Result[]): Goal[] {
  const smallest = Math.min(...sizes);
  const largest = Math.max(...all.filter((result) => result.name.includes("concurrent")).map((result) => result.size), smallest);
  const goals: Goal[] = [];
  for (const [name, biggest] of [["JSON GET", Math.max(...sizes)], ["concurrent streams", largest]] as const) {
    if (biggest === smallest) continue;
    const small = all.find((result) => result.size === smallest && result.name.includes(name))!;
    const big = all.find((result) => result.size === biggest && result.name.includes(name))!;
    const growth = big.peakRssMb / small.peakRssMb;
    goals.push({
      text: `${name}: server peak RSS flat in the rows (${small.peakRssMb.toFixed(0)} MB at ${smallest}, ${big.peakRssMb.toFixed(0)} MB at ${biggest}: x${growth.toFixed(2)}, allowed x1.20)`,
      met: growth <= 1.2,
    });
  }
  return goals;
}

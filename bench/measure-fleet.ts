import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { startChildServer, type ChildServer } from "./child-server.js";
import { importWithCli } from "./cli-import.js";
import { builtCli } from "./dist-modules.js";
import { fleetDeltaEntropy } from "./delta-entropy.js";
import { fleetMeter, fleetYear, readingsPerMeterYear, writeFleetCsv, type FleetOrder } from "./fleet-readings.js";
import { measureCost } from "./measure-cost.js";
import { measureLateWrites } from "./measure-late-writes.js";
import { measureListMeters } from "./measure-list-meters.js";
import { dayMs, dayStride, singleMeterDay } from "./measure-range-latency.js";
import { measureServing, type ServedResults, type ServedStore } from "./measure-serving.js";
import { measurePostgresUpgrade, measureSqliteUpgrade } from "./measure-upgrade.js";
import { measureUsage } from "./measure-usage.js";
import { victoriaMetricsFleet } from "./measure-victoria-metrics.js";
import { measureYearJson } from "./measure-year-json.js";
import type { PostgresCluster } from "./postgres-cluster.js";
import { peakRssMb } from "./process-memory.js";
import { compare, result, storageResult, unrated, type Goal, type Result } from "./results.js";
import { runWorker } from "./run-worker.js";
import { describeShares, postgresStoreSize, sqliteStoreSize, type StoreSize } from "./store-size.js";
import { stepMs, syntheticMeter, syntheticTime } from "./synthetic-readings.js";
import { findVictoriaMetrics, type VictoriaMetrics } from "./victoria-metrics.js";
import { createTestDatabase } from "../server/test/support/test-postgres.js";

const ingestToken = "bench";
const fleetAskedLabel = "fleet, answering lists, usage, JSON and late writes";
export const fleetStoreName = "fleet: store on disk";
export const fleetFloorName = "fleet: floor, order-0 entropy of the value deltas";
export const fleetImportName = (order: FleetOrder) => `fleet: meterusage import of the long CSV, ${order}`;
export const fleetServingRssName = (label: string) => `${label}: serving process, peak RSS`;

export interface FleetOptions {
  folder: string;
  /** 1,000 meters make the fleet; PostgreSQL gets a tenth of them. */
  meters: number;
  /** The run's largest single-meter store, whose figures the fleet's are set against. */
  singleMeter: { db: string; size: number; importResult: Result };
  postgres: PostgresCluster | { skip: string };
  requests: number;
  streams: number;
  log(message: string): void;
}

/**
 * A fleet of meters with a year of readings each, imported with `meterusage import` from a
 * long CSV, meter after meter and time after time, and served: its import rate and memory,
 * size on disk beside the floor of the values' entropy, ListMeters, a day and a year of one
 * meter, each against the run's single-meter store; ListMeters, GetUsage and a year as JSON
 * on every protocol; late writes; the serving processes' memory. VictoriaMetrics, when
 * installed, takes the same file as the reference. Then the same on PostgreSQL with a tenth
 * of the meters.
 */
export async function measureFleet(options: FleetOptions): Promise<{ results: Result[]; goals: Goal[] }> {
  const { folder, meters, singleMeter, log } = options;
  const size = meters * readingsPerMeterYear;
  const csv = join(folder, "fleet.csv");
  log(`fleet: writing ${meters} meters' year (${size} readings) as a long CSV, meter after meter`);
  await writeFleetCsv(csv, meters, "meter-major");
  const fleetDb = join(folder, "fleet.db");
  log(`fleet: meterusage import (${(statSync(csv).size / 1e6).toFixed(0)} MB)`);
  const imported = await importFleet(csv, fleetDb, size, "meter-major");
  compare(imported, singleMeter.importResult);

  log("fleet: size on disk, and the floor");
  const fleetSize = storedSize("fleet", size, sqliteStoreSize(fleetDb));
  const singleSize = storedSize("single meter", singleMeter.size, sqliteStoreSize(singleMeter.db));
  fleetSize.note += `; ${(fleetSize.bytesPerReading! / singleSize.bytesPerReading!).toFixed(2)}x the single meter's bytes per reading`;
  const floor = entropyFloor(meters, size);

  const victoria = findVictoriaMetrics();
  if ("skip" in victoria) log(`VictoriaMetrics reference not measured: ${victoria.skip}`);
  const reference: Result[] = [];
  let vm: VictoriaMetrics | undefined;
  let fleet: ServedResults;
  let single: ServedResults;
  const asked: Result[] = [];
  try {
    if (!("skip" in victoria)) {
      log("fleet: VictoriaMetrics, import and size after a forced merge");
      const started = await victoriaMetricsFleet(victoria.binary, folder, csv, size, "meter-major", true);
      vm = started.vm;
      reference.push(...started.results);
      compare(imported, started.results[0]);
      fleetSize.note += `; ${(fleetSize.bytesPerReading! / started.results[1].bytesPerReading!).toFixed(2)}x VictoriaMetrics'`;
    }
    log("fleet: every meter's time zone set, even ones Europe/London, odd ones Asia/Kolkata");
    await runWorker("set-fleet-zones.ts", [fleetDb, String(meters)]);

    log("fleet: ListMeters, a day, a year, memory");
    const singleDays = Math.floor((singleMeter.size * stepMs) / dayMs);
    const singleYears = Math.max(1, Math.floor(singleMeter.size / readingsPerMeterYear));
    [fleet, single] = await whileServed(
      [fleetDb, singleMeter.db],
      ([fleetServer, singleServer]) => [
        fleetStore("fleet", meters, fleetServer),
        {
          label: "single meter",
          size: singleMeter.size,
          meters: 1,
          server: singleServer,
          day: (i) => singleMeterDay(i, singleDays),
          // Another stretch each time, as the fleet's years are other meters': neither store
          // answers from the pages the request before it read.
          year: (i) => {
            const first = ((i * 97) % singleYears) * readingsPerMeterYear;
            return { meter: syntheticMeter, start: syntheticTime(first), end: syntheticTime(first + readingsPerMeterYear) };
          },
        },
      ],
      options,
    );
    setAgainst(fleet, single);

    await whileServedOne(
      fleetDb,
      async (server) => {
        log("fleet: ListMeters and GetUsage on binary gRPC, Connect JSON and the JSON routes");
        asked.push(...(await measureListMeters(server, meters, size, options.requests)));
        asked.push(...(await measureUsage(server, meters, size, options.requests)));
        log("fleet: one meter's year as JSON" + (vm === undefined ? "" : ", and from VictoriaMetrics' export"));
        asked.push(...(await measureYearJson(server, vm, meters, size, options.streams, folder)));
        log("fleet: late writes into last year");
        asked.push(...(await measureLateWrites(server, meters, size, options.requests, ingestToken)));
        asked.push({ ...unrated(size, fleetServingRssName(fleetAskedLabel), NaN, 0, "from its start to the end of the above"), peakRssMb: peakRssMb(server.pid) });
      },
      ["--ingest-token", ingestToken],
    );
    log("fleet: GetUsage with cost, every meter priced by a time-of-use tariff, then by a dynamic one");
    asked.push(...(await measureCost(fleetDb, meters, size, options.requests, whileServedOne)));
  } finally {
    await vm?.stop();
  }
  removeSqlite(fleetDb);

  log("fleet: the same readings as a long CSV time after time");
  rmSync(csv);
  await writeFleetCsv(csv, meters, "time-major");
  const timeMajorDb = join(folder, "fleet-time-major.db");
  log(`fleet: meterusage import of the time-major CSV`);
  const importedTimeMajor = await importFleet(csv, timeMajorDb, size, "time-major");
  compare(importedTimeMajor, imported);
  const timeMajorSize = storedSize("fleet, imported time-major", size, sqliteStoreSize(timeMajorDb));
  removeSqlite(timeMajorDb);
  if (!("skip" in victoria)) {
    log("fleet: VictoriaMetrics import of the time-major CSV");
    const started = await victoriaMetricsFleet(victoria.binary, folder, csv, size, "time-major", false);
    await started.vm.stop();
    reference.push(...started.results);
    compare(importedTimeMajor, started.results[0]);
  }
  rmSync(csv);

  const upgradeMeters = Math.max(1, Math.round(meters / 10));
  log(`fleet: upgrade in place of a store of schema 2 (a row a reading) holding ${upgradeMeters} of the meters`);
  const upgraded = await measureSqliteUpgrade(folder, upgradeMeters);

  const results = [imported, importedTimeMajor, upgraded, floor, fleetSize, timeMajorSize, singleSize, ...reference, ...interleave(fleet, single), ...asked];
  const goals: Goal[] = [
    {
      text: `fleet one meter's day, first reading p50 no slower than the single meter's, within 10% for noise (${ms(fleet.day)} vs ${ms(single.day)})`,
      met: fleet.day.latency!.p50Ms <= 1.1 * single.day.latency!.p50Ms,
    },
  ];
  if ("skip" in options.postgres) log(`fleet on PostgreSQL not measured: ${options.postgres.skip}`);
  else results.push(...(await measurePostgresFleet(options.postgres, Math.max(1, Math.round(meters / 10)), imported, fleetSize, fleet, options)));
  return { results, goals };
}

/** `meterusage import` of the fleet's CSV in a process of its own, timed from start to exit. */
async function importFleet(csv: string, location: string, size: number, order: FleetOrder): Promise<Result> {
  return result(size, fleetImportName(order), [await importWithCli(csv, location, statSync(csv).size)], "a process of its own, timed from start to exit; RSS is its peak");
}

/** The floor, as a size: the entropy's bytes over every reading, missing ones included. */
function entropyFloor(meters: number, size: number): Result {
  const { bitsPerDelta, deltas, decimals } = fleetDeltaEntropy(meters);
  return storageResult(
    size,
    fleetFloorName,
    (bitsPerDelta * deltas) / 8,
    `order-0 entropy of each meter's value deltas, values as integers of ${decimals} decimals: ${bitsPerDelta.toFixed(2)} bits over ${deltas.toLocaleString("en-US")} deltas; the missing readings' flags not counted`,
  );
}

/** The fleet on PostgreSQL, with a tenth of the meters, against the SQLite fleet's figures of this run. */
async function measurePostgresFleet(
  cluster: PostgresCluster,
  meters: number,
  sqliteImport: Result,
  sqliteSize: Result,
  sqlite: ServedResults,
  options: FleetOptions,
): Promise<Result[]> {
  const size = meters * readingsPerMeterYear;
  const csv = join(options.folder, "fleet-postgres.csv");
  options.log(`fleet on PostgreSQL: writing ${meters} meters' year (${size} readings)`);
  await writeFleetCsv(csv, meters);
  const database = await createTestDatabase(cluster.url);
  try {
    options.log("fleet on PostgreSQL: meterusage import");
    const imported = result(size, "PostgreSQL fleet: meterusage import of the long CSV", [await importWithCli(csv, database.url, statSync(csv).size)], "COPY FROM STDIN in one transaction");
    compare(imported, sqliteImport);
    const stored = storedSize("PostgreSQL fleet", size, await postgresStoreSize(database.url));
    stored.note += `; ${(stored.bytesPerReading! / sqliteSize.bytesPerReading!).toFixed(2)}x SQLite's bytes per reading`;
    options.log("fleet on PostgreSQL: ListMeters, a day, a year, memory");
    const [served] = await whileServed([database.url], ([server]) => [fleetStore("PostgreSQL fleet", meters, server)], options);
    setAgainst(served, sqlite);
    options.log("fleet on PostgreSQL: GetUsage by day, by hour, and for every meter");
    // Reported beside SQLite's; the usage goals are set for the SQLite fleet.
    await runWorker("set-fleet-zones.ts", [database.url, String(meters)]);
    const usage = await whileServedOne(database.url, (server) => measureUsage(server, meters, size, options.requests, "PostgreSQL fleet", 1));
    const upgradeMeters = Math.max(1, Math.round(meters / 10));
    options.log(`fleet on PostgreSQL: upgrade in place of a database of schema 2 holding ${upgradeMeters} of the meters`);
    const upgraded = await measurePostgresUpgrade(cluster, upgradeMeters);
    return [imported, stored, served.listMeters, served.day, served.year, served.memory, ...usage, upgraded];
  } finally {
    await database.drop();
  }
}

function fleetStore(label: string, meters: number, server: ChildServer): ServedStore {
  return {
    label,
    size: meters * readingsPerMeterYear,
    meters,
    server,
    day: (i) => {
      const start = fleetYear.start + ((i * 101) % 365) * dayMs;
      return { meter: fleetMeter((i * dayStride) % meters), start, end: start + dayMs };
    },
    year: (i) => ({ meter: fleetMeter((i * 97) % meters), ...fleetYear }),
  };
}

/** Serves each store in a process of its own while they are measured. */
async function whileServed(
  locations: string[],
  describe: (servers: ChildServer[]) => ServedStore[],
  { folder, requests, streams }: FleetOptions,
): Promise<ServedResults[]> {
  const servers: ChildServer[] = [];
  try {
    for (const location of locations) {
      servers.push(await startChildServer(process.execPath, [builtCli, "serve", "--port", "0", "--host", "127.0.0.1", "--db", location]));
    }
    return await measureServing(describe(servers), { folder, requests, streams });
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
  }
}

async function whileServedOne<T>(location: string, measure: (server: ChildServer) => Promise<T>, flags: string[] = []): Promise<T> {
  const server = await startChildServer(process.execPath, [builtCli, "serve", "--port", "0", "--host", "127.0.0.1", "--db", location, ...flags]);
  try {
    return await measure(server);
  } finally {
    await server.stop();
  }
}

function removeSqlite(db: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
}

function storedSize(label: string, readings: number, size: StoreSize): Result {
  return storageResult(readings, `${label}: store on disk`, size.bytes, describeShares(size, readings));
}

/** Notes each latency's ratio to the reference's, and compares the year streams and memory. */
function setAgainst(subject: ServedResults, reference: ServedResults): void {
  for (const key of ["listMeters", "day"] as const) {
    const [mine, theirs] = [subject[key].latency!, reference[key].latency!];
    const against = `p50 ${(mine.p50Ms / theirs.p50Ms).toFixed(2)}x, p90 ${(mine.p90Ms / theirs.p90Ms).toFixed(2)}x ${reference[key].name.split(":")[0]}'s`;
    subject[key].note = subject[key].note === undefined ? against : `${subject[key].note}; ${against}`;
  }
  compare(subject.year, reference.year);
  compare(subject.memory, reference.memory);
}

function interleave(subject: ServedResults, reference: ServedResults): Result[] {
  return (["listMeters", "day", "year", "memory"] as const).flatMap((key) => [subject[key], reference[key]]);
}

const ms = (measured: Result) => `p50 ${measured.latency!.p50Ms.toFixed(2)} ms`;

import { statSync } from "node:fs";
import { join } from "node:path";
import { startChildServer, type ChildServer } from "./child-server.js";
import { importWithCli } from "./cli-import.js";
import { builtCli } from "./dist-modules.js";
import { fleetMeter, fleetYear, readingsPerMeterYear, writeFleetCsv } from "./fleet-readings.js";
import { dayMs, dayStride, singleMeterDay } from "./measure-range-latency.js";
import { measureServing, type ServedResults, type ServedStore } from "./measure-serving.js";
import { measureUsage } from "./measure-usage.js";
import type { PostgresCluster } from "./postgres-cluster.js";
import { compare, result, storageResult, type Goal, type Result } from "./results.js";
import { describeShares, postgresStoreSize, sqliteStoreSize, type StoreSize } from "./store-size.js";
import { stepMs, syntheticMeter, syntheticTime } from "./synthetic-readings.js";
import { createTestDatabase } from "../server/test/support/test-postgres.js";

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
 * long CSV and served: its import rate, size on disk, ListMeters, a day and a year of one
 * meter, and the serving process's memory, each against the run's single-meter store; then
 * the same on PostgreSQL with a tenth of the meters.
 */
export async function measureFleet(options: FleetOptions): Promise<{ results: Result[]; goals: Goal[] }> {
  const { folder, meters, singleMeter, log } = options;
  const size = meters * readingsPerMeterYear;
  const csv = join(folder, "fleet.csv");
  log(`fleet: writing ${meters} meters' year (${size} readings) as a long CSV, meter after meter`);
  await writeFleetCsv(csv, meters);
  const fleetDb = join(folder, "fleet.db");
  log(`fleet: meterusage import (${(statSync(csv).size / 1e6).toFixed(0)} MB)`);
  const imported = result(size, "fleet: meterusage import of the long CSV", [await importWithCli(csv, fleetDb, statSync(csv).size)], "a process of its own, timed from start to exit; meter after meter");
  compare(imported, singleMeter.importResult);

  log("fleet: size on disk");
  const fleetSize = storedSize("fleet", size, sqliteStoreSize(fleetDb));
  const singleSize = storedSize("single meter", singleMeter.size, sqliteStoreSize(singleMeter.db));
  fleetSize.note += `; ${(fleetSize.bytesPerReading! / singleSize.bytesPerReading!).toFixed(2)}x the single meter's bytes per reading`;

  log("fleet: ListMeters, a day, a year, memory");
  const singleDays = Math.floor((singleMeter.size * stepMs) / dayMs);
  const singleYears = Math.max(1, Math.floor(singleMeter.size / readingsPerMeterYear));
  const [fleet, single] = await whileServed(
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

  log("fleet: GetUsage by day, by hour, and for every meter");
  const usage = await whileServedOne(fleetDb, (server) => measureUsage(server, meters, size, options.requests));

  const results = [imported, fleetSize, singleSize, ...interleave(fleet, single), ...usage.results];
  const goals: Goal[] = [
    { text: `fleet import >= 1,000,000 readings/s (${rate(imported)})`, met: imported.rowsPerSecond >= 1e6 },
    { text: `fleet ListMeters p50 < 10 ms with ${meters} meters (${ms(fleet.listMeters)})`, met: fleet.listMeters.latency!.p50Ms < 10 },
    { text: `fleet one meter's day, first reading p50 < 2 ms (${ms(fleet.day)})`, met: fleet.day.latency!.p50Ms < 2 },
    {
      text: `fleet one meter's day, first reading p50 no slower than the single meter's, within 10% for noise (${ms(fleet.day)} vs ${ms(single.day)})`,
      met: fleet.day.latency!.p50Ms <= 1.1 * single.day.latency!.p50Ms,
    },
    { text: `fleet one meter's year over gRPC h2c >= 1,000,000 readings/s (${rate(fleet.year)})`, met: fleet.year.rowsPerSecond >= 1e6 },
    { text: `fleet serving process peak RSS < 250 MB (${fleet.memory.peakRssMb.toFixed(0)} MB)`, met: fleet.memory.peakRssMb < 250 },
    ...usage.goals,
  ];
  if ("skip" in options.postgres) log(`fleet on PostgreSQL not measured: ${options.postgres.skip}`);
  else results.push(...(await measurePostgresFleet(options.postgres, Math.max(1, Math.round(meters / 10)), imported, fleetSize, fleet, options)));
  return { results, goals };
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
    const usage = await whileServedOne(database.url, (server) => measureUsage(server, meters, size, options.requests, "PostgreSQL fleet"));
    return [imported, stored, served.listMeters, served.day, served.year, served.memory, ...usage.results];
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

async function whileServedOne<T>(location: string, measure: (server: ChildServer) => Promise<T>): Promise<T> {
  const server = await startChildServer(process.execPath, [builtCli, "serve", "--port", "0", "--host", "127.0.0.1", "--db", location]);
  try {
    return await measure(server);
  } finally {
    await server.stop();
  }
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

const rate = (measured: Result) => `${Math.round(measured.rowsPerSecond).toLocaleString("en-US")} readings/s`;
const ms = (measured: Result) => `p50 ${measured.latency!.p50Ms.toFixed(2)} ms`;

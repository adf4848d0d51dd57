import { costCases, costResultName } from "./measure-cost.js";
import { fleetFloorName, fleetImportName, fleetServingRssName, fleetStoreName } from "./measure-fleet.js";
import { lateWriteResultName } from "./measure-late-writes.js";
import { listMetersResultName } from "./measure-list-meters.js";
import { upgradeResultName } from "./measure-upgrade.js";
import { usageCases, usageResultName } from "./measure-usage.js";
import { victoriaImportResultName, victoriaSizeResultName } from "./measure-victoria-metrics.js";
import { victoriaExportResultName, yearJsonResultName } from "./measure-year-json.js";
import { protocols } from "./protocol-latency.js";
import type { Result } from "./results.js";

/** One goal of the compressed chunk storage, as measured in this run. */
export interface Target {
  goal: string;
  measured: string;
  target: string;
  /** Undefined when this run did not measure it. */
  met: boolean | undefined;
  /** This run's figure over VictoriaMetrics' on the same data, where it has one. */
  versusVictoriaMetrics?: string;
}

/** The service's appends a second before chunks (README, durable writes), which chunks must not slow. */
const appendsBeforeChunks = 273;
const serviceAppendName = "append: service AppendReadings (gRPC h2c), SQLite, meterusage serve as it is (synchronous=FULL)";
const fleetYearName = "fleet: one meter's year streamed (gRPC h2c)";

/**
 * Every goal of the compressed chunk storage, from the run's results: the measured figure,
 * the goal, met or not, and the ratio to VictoriaMetrics where the goal has one. A goal whose
 * results this run lacks (no --fleet, no PostgreSQL, no VictoriaMetrics) says so.
 */
export function storageGoals(results: Result[]): Target[] {
  const find = (name: string, size?: number) => results.find((result) => result.name === name && (size === undefined || result.size === size));
  const targets: Target[] = [];
  const add = (goal: string, target: string, figures: (Result | undefined)[], judge: (...found: Result[]) => { measured: string; met: boolean; versus?: string }) => {
    if (figures.some((figure) => figure === undefined)) {
      targets.push({ goal, target, measured: "not measured in this run", met: undefined });
      return;
    }
    const { measured, met, versus } = judge(...(figures as Result[]));
    targets.push({ goal, target, measured, met, versusVictoriaMetrics: versus });
  };
  const vmSize = find(victoriaSizeResultName);

  add("size, SQLite fleet (whole file, WAL checkpointed)", "<= 2.0 B/reading, below VictoriaMetrics", [find(fleetStoreName), find(fleetFloorName)], (stored, floor) => ({
    measured: `${bytes(stored)} (floor ${bytes(floor)})`,
    met: stored.bytesPerReading! <= 2 && (vmSize === undefined || stored.bytesPerReading! < vmSize.bytesPerReading!),
    versus: vmSize && `${ratio(stored.bytesPerReading! / vmSize.bytesPerReading!)} (VM ${bytes(vmSize)})`,
  }));
  add("size, PostgreSQL fleet (every relation)", "<= 4 B/reading", [find("PostgreSQL fleet: store on disk")], (stored) => ({
    measured: bytes(stored),
    met: stored.bytesPerReading! <= 4,
    versus: vmSize && ratio(stored.bytesPerReading! / vmSize.bytesPerReading!),
  }));
  for (const order of ["meter-major", "time-major"] as const) {
    const vm = find(victoriaImportResultName(order));
    add(`fleet import, ${order} long CSV`, ">= 2,000,000 readings/s", [find(fleetImportName(order))], (imported) => ({
      measured: rate(imported),
      met: imported.rowsPerSecond >= 2e6,
      versus: vm && `${ratio(imported.rowsPerSecond / vm.rowsPerSecond)} (VM ${rate(vm)})`,
    }));
  }
  add("fleet import, peak RSS (both orders)", "< 500 MB", [find(fleetImportName("meter-major")), find(fleetImportName("time-major"))], (a, b) => {
    const peak = Math.max(a.peakRssMb, b.peakRssMb);
    return { measured: `${peak.toFixed(0)} MB`, met: peak < 500 };
  });
  for (const store of ["SQLite", "PostgreSQL"] as const) {
    add(`upgrade in place of a ${store} store of schema 2 (a row a reading) to chunks`, ">= 1,000,000 readings/s", [find(upgradeResultName(store))], (upgraded) => ({
      measured: rate(upgraded),
      met: upgraded.rowsPerSecond >= 1e6,
    }));
  }
  const vmExport = find(victoriaExportResultName);
  add("one meter's year as JSON (/api/readings)", ">= 3,500,000 readings/s, ahead of VictoriaMetrics' export", [find(yearJsonResultName("fleet"))], (json) => ({
    measured: rate(json),
    met: json.rowsPerSecond >= 3.5e6 && (vmExport === undefined || json.rowsPerSecond > vmExport.rowsPerSecond),
    versus: vmExport && `${ratio(json.rowsPerSecond / vmExport.rowsPerSecond)} (VM export ${rate(vmExport)})`,
  }));
  add("one meter's year over gRPC h2c, whole answer", ">= 3,000,000 readings/s", [find(fleetYearName)], (year) => ({
    measured: rate(year),
    met: year.rowsPerSecond >= 3e6,
    versus: vmExport && `${ratio(year.rowsPerSecond / vmExport.rowsPerSecond)} (VM export)`,
  }));
  add("single meter's 1e6 stream over gRPC h2c", ">= 3,000,000 rows/s", [find("stream gRPC h2c", 1e6)], (stream) => ({ measured: rate(stream), met: stream.rowsPerSecond >= 3e6 }));
  add("JSON route, 1e6 readings, against the same bytes as a static file", ">= 50% of its MB/s", [find("JSON GET /api/readings (HTTP/1.1)", 1e6)], (json) => {
    const share = json.comparisons[0].megabytesPerSecond;
    return { measured: `${(100 * share).toFixed(0)}% (${json.megabytesPerSecond.toFixed(1)} MB/s)`, met: share >= 0.5 };
  });
  add("fleet, one meter's one-day range, time to first reading", "p50 < 2 ms", [find("fleet: one meter's day, time to first reading (gRPC h2c)")], (day) => ({
    measured: p50(day),
    met: day.latency!.p50Ms < 2,
  }));
  for (const { key, name, goalMs } of usageCases) {
    for (const protocol of protocols) {
      add(`fleet GetUsage, ${name}, ${protocol}`, `p50 < ${goalMs} ms`, [find(usageResultName("fleet", key, protocol))], (usage) => ({ measured: p50(usage), met: usage.latency !== undefined && usage.latency.p50Ms < goalMs }));
    }
  }
  for (const { key, name, goalMs } of costCases) {
    for (const protocol of protocols) {
      add(`fleet GetUsage with cost, ${name}, ${protocol}`, `p50 < ${goalMs} ms`, [find(costResultName("fleet", key, protocol))], (usage) => ({ measured: p50(usage), met: usage.latency !== undefined && usage.latency.p50Ms < goalMs }));
    }
  }
  for (const protocol of protocols) {
    add(`fleet ListMeters, every meter, ${protocol}`, "p50 < 5 ms", [find(listMetersResultName("fleet", protocol))], (list) => ({ measured: p50(list), met: list.latency !== undefined && list.latency.p50Ms < 5 }));
  }
  add("service appends, 10 readings each, durable", `>= ${appendsBeforeChunks}/s (README, before chunks)`, [find(serviceAppendName)], (appends) => ({
    measured: `${appends.rowsPerSecond.toFixed(0)}/s`,
    met: appends.rowsPerSecond >= appendsBeforeChunks,
  }));
  add("fleet, a late write into last year", "p50 < 5 ms", [find(lateWriteResultName("fleet"))], (late) => ({ measured: p50(late), met: late.latency!.p50Ms < 5 }));
  const serving = results.filter((result) => result.name.startsWith("fleet") && result.name.endsWith(fleetServingRssName("")));
  add("fleet, serving process peak RSS", "< 250 MB", serving.length === 0 ? [undefined] : serving, (...servers) => {
    const peak = Math.max(...servers.map((server) => server.peakRssMb));
    return { measured: `${peak.toFixed(0)} MB`, met: peak < 250 };
  });
  add("50 concurrent streams, 5 slow readers, 1e6 store", "server peak RSS < 200 MB, as before", [find("50 concurrent streams", 1e6)], (streams) => ({
    measured: `${streams.peakRssMb.toFixed(0)} MB, ${rate(streams)}`,
    met: streams.peakRssMb < 200,
  }));
  add("PostgreSQL fleet import", ">= 1,000,000 readings/s", [find("PostgreSQL fleet: meterusage import of the long CSV")], (imported) => ({ measured: rate(imported), met: imported.rowsPerSecond >= 1e6 }));
  add("PostgreSQL fleet, one meter's year over gRPC h2c", ">= 1,000,000 readings/s", [find("PostgreSQL fleet: one meter's year streamed (gRPC h2c)")], (year) => ({
    measured: rate(year),
    met: year.rowsPerSecond >= 1e6,
  }));
  return targets;
}

/** The targets as a plain-text table, one goal a line. */
export function formatTargets(targets: Target[]): string {
  const rows = [["goal", "measured", "target", "met", "vs VictoriaMetrics"], ...targets.map((target) => [target.goal, target.measured, target.target, target.met === undefined ? "-" : target.met ? "met" : "NOT MET", target.versusVictoriaMetrics ?? ""])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return ["Goals of the compressed chunk storage:", ...rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd())].join("\n");
}

const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const rate = (result: Result) => `${whole.format(result.rowsPerSecond)}/s`;
const bytes = (result: Result) => `${result.bytesPerReading!.toFixed(2)} B/reading`;
/** A latency, or for a question a protocol refused, the start of why. */
const p50 = (result: Result) => (result.latency === undefined ? (result.note ?? "no answer").slice(0, 60) : `p50 ${result.latency.p50Ms.toFixed(2)} ms`);
const ratio = (value: number) => `${value.toFixed(2)}x`;

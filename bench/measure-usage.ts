import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { GetUsageRequestSchema, Period } from "../gen/meterusage/v1/meterusage_pb.js";
import type { ChildServer } from "./child-server.js";
import { fleetMeter, fleetYear } from "./fleet-readings.js";
import { timeCalls } from "./grpc-latency.js";
import { latencyResult, type Goal, type Result } from "./results.js";
import { envelope } from "./stream-protocols.js";

const getUsagePath = "/meterusage.v1.MeterUsageService/GetUsage";

interface UsageCase {
  name: string;
  goalMs: number;
  periods: number;
  request(i: number): Uint8Array;
}

/**
 * GetUsage on the fleet, as the usage issue sets it: one meter's year by day and by hour, and
 * every meter's month by day with their total, each whole answer timed over gRPC h2c.
 */
export async function measureUsage(server: ChildServer, meters: number, size: number, requests: number, label = "fleet"): Promise<{ results: Result[]; goals: Goal[] }> {
  const month = (i: number) => ({ start: Date.UTC(2019, i % 12, 1), end: Date.UTC(2019, (i % 12) + 1, 1) });
  const all = Array.from({ length: meters }, (_, index) => fleetMeter(index));
  const usage = (names: string[], span: { start: number; end: number }, period: Period, timeZone = "Europe/London") =>
    toBinary(GetUsageRequestSchema, create(GetUsageRequestSchema, { meters: names, start: timestampFromMs(span.start), end: timestampFromMs(span.end), period, timeZone }));
  const cases: UsageCase[] = [
    { name: "one meter, a year by day", goalMs: 10, periods: 365, request: (i) => usage([fleetMeter((i * 97) % meters)], fleetYear, Period.DAY) },
    { name: "one meter, a year by hour", goalMs: 50, periods: 8760, request: (i) => usage([fleetMeter((i * 97) % meters)], fleetYear, Period.HOUR) },
    { name: `all ${meters} meters and their total, a month by day`, goalMs: 250, periods: 31, request: (i) => usage(all, month(i), Period.DAY, "UTC") },
  ];
  const results: Result[] = [];
  const goals: Goal[] = [];
  for (const usageCase of cases) {
    const count = usageCase.name.startsWith("all") ? Math.max(10, Math.round(requests / 10)) : requests;
    const [timed] = await timeCalls([{ port: server.port, path: getUsagePath, until: "end", body: (i) => envelope(usageCase.request(i)) }], count);
    const measured = latencyResult(size, `${label}: GetUsage, ${usageCase.name} (gRPC h2c)`, timed, count * usageCase.periods, "whole answer");
    results.push(measured);
    goals.push({ text: `${label} GetUsage, ${usageCase.name}: p50 < ${usageCase.goalMs} ms (p50 ${measured.latency!.p50Ms.toFixed(2)} ms)`, met: measured.latency!.p50Ms < usageCase.goalMs });
  }
  return { results, goals };
}

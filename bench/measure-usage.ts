import { create, fromBinary, toBinary, toJsonString } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { GetUsageRequestSchema, GetUsageResponseSchema, Period } from "../gen/meterusage/v1/meterusage_pb.js";
import type { ChildServer } from "./child-server.js";
import { fleetMeter, fleetMeterIn, fleetYear, fleetZones } from "./fleet-readings.js";
import { protocolResult, protocols, timeOnEveryProtocol, type Answers, type Protocol, type Question } from "./protocol-latency.js";
import type { Result } from "./results.js";

const getUsagePath = "/meterusage.v1.MeterUsageService/GetUsage";

/** The usage questions the fleet is measured on, each in the zone its meters keep their usage in. */
export const usageCases = [
  { key: "london-days", name: "one meter, a year by day, Europe/London", goalMs: 5 },
  { key: "kolkata-hours", name: "one meter, a year by hour, Asia/Kolkata", goalMs: 25 },
  { key: "fleet-month", name: "every meter and their total, a month by day, Europe/London", goalMs: 100 },
] as const;
export type UsageCase = (typeof usageCases)[number]["key"];

export function usageResultName(label: string, usageCase: UsageCase, protocol: Protocol): string {
  return `${label}: GetUsage, ${usageCases.find(({ key }) => key === usageCase)!.name} (${protocol})`;
}

export interface UsageAsked {
  meters: string[];
  span: { start: number; end: number };
  period: Period;
  timeZone: string;
}

/**
 * GetUsage on the fleet, whole answers timed on binary gRPC, Connect JSON and GET /api/usage
 * in turns: one meter's year by day in Europe/London, one meter's year by hour in
 * Asia/Kolkata (whose hours straddle two UTC hours), and every meter's month by day in
 * Europe/London with their total. Each meter asked keeps its usage in the zone asked.
 * `only` limits the protocols measured to the first n (binary gRPC first).
 */
export async function measureUsage(server: ChildServer, meters: number, size: number, requests: number, label = "fleet", only: number = protocols.length): Promise<Result[]> {
  const month = (i: number) => ({ start: Date.UTC(2019, i % 12, 1), end: Date.UTC(2019, (i % 12) + 1, 1) });
  const all = Array.from({ length: meters }, (_, index) => fleetMeter(index));
  const asked: Record<UsageCase, (i: number) => UsageAsked> = {
    "london-days": (i) => ({ meters: [fleetMeterIn(fleetZones.even, i, meters)], span: fleetYear, period: Period.DAY, timeZone: fleetZones.even }),
    "kolkata-hours": (i) => ({ meters: [fleetMeterIn(fleetZones.odd, i, meters)], span: fleetYear, period: Period.HOUR, timeZone: fleetZones.odd }),
    "fleet-month": (i) => ({ meters: all, span: month(i), period: Period.DAY, timeZone: fleetZones.even }),
  };
  const results: Result[] = [];
  for (const { key } of usageCases) {
    const count = key === "fleet-month" ? Math.max(10, Math.round(requests / 10)) : requests;
    const answers = await timeOnEveryProtocol(server.port, usageQuestion(asked[key]), count, key === "fleet-month" ? 3 : 10, protocols.slice(0, only));
    const periods = checkedPeriods(answers.first, key);
    for (const protocol of protocols.slice(0, only)) {
      results.push(protocolResult(answers, protocol, size, usageResultName(label, key, protocol), periods, `whole answer; ${periods} periods an answer`));
    }
  }
  return results;
}

export function usageQuestion(asked: (i: number) => UsageAsked): Question {
  const message = (i: number) => {
    const { meters, span, period, timeZone } = asked(i);
    return create(GetUsageRequestSchema, { meters, start: timestampFromMs(span.start), end: timestampFromMs(span.end), period, timeZone });
  };
  return {
    method: getUsagePath,
    binary: (i) => toBinary(GetUsageRequestSchema, message(i)),
    json: (i) => toJsonString(GetUsageRequestSchema, message(i)),
    route: (i) => {
      const { meters, span, period, timeZone } = asked(i);
      const query = new URLSearchParams(meters.map((meter) => ["meter", meter]));
      query.set("period", period === Period.HOUR ? "hour" : "day");
      query.set("tz", timeZone);
      query.set("start", new Date(span.start).toISOString());
      query.set("end", new Date(span.end).toISOString());
      return `/api/usage?${query}`;
    },
  };
}

interface PeriodsJson {
  meters: { periods: unknown[] }[];
  total?: unknown[];
}

/** The periods of the first answer, the same on every protocol that answered, or the measurement is refused. */
function checkedPeriods(first: Answers["first"], usageCase: UsageCase): number {
  if (first["binary gRPC h2c"] === undefined) throw new Error(`GetUsage ${usageCase}: binary gRPC gave no answer`);
  const grpc = fromBinary(GetUsageResponseSchema, first["binary gRPC h2c"] as Uint8Array);
  const counts = [
    grpc.meters.reduce((sum, meter) => sum + meter.periods.length, grpc.total.length),
    ...[first["Connect JSON HTTP/1.1"], first["JSON route HTTP/1.1"]]
      .filter((answer) => answer !== undefined)
      .map((answer) => {
        const { meters, total = [] } = answer as PeriodsJson;
        return meters.reduce((sum, meter) => sum + meter.periods.length, total.length);
      }),
  ];
  if (counts[0] === 0 || counts.some((count) => count !== counts[0])) throw new Error(`GetUsage ${usageCase}: periods per protocol differ or are none: ${counts.join(", ")}`);
  // A period of the total is one more answered, not one more read; the rate counts each meter's.
  return grpc.meters[0].periods.length;
}

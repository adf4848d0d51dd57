import { fromBinary } from "@bufbuild/protobuf";
import { GetUsageResponseSchema, Period } from "../gen/meterusage/v1/meterusage_pb.js";
import type { ChildServer } from "./child-server.js";
import { fleetMeter, fleetMeterIn, fleetYear, fleetZones } from "./fleet-readings.js";
import type { FleetPricing } from "./fleet-tariffs.js";
import { usageQuestion, type UsageAsked } from "./measure-usage.js";
import { protocolResult, protocols, timeOnEveryProtocol, type Answers, type Protocol } from "./protocol-latency.js";
import type { Result } from "./results.js";
import { runWorker } from "./run-worker.js";

/** The cost questions the fleet is measured on: GetUsage of meters priced by a tariff. */
export const costCases = [
  { key: "time-of-use-year", pricing: "time-of-use", name: "one meter, a year by day, three-window time-of-use tariff, Europe/London", goalMs: 20 },
  { key: "dynamic-year", pricing: "dynamic", name: "one meter, a year by day, dynamic tariff of 17,520 half-hourly prices, Europe/London", goalMs: 30 },
  { key: "fleet-month-time-of-use", pricing: "time-of-use", name: "every meter and their total, a month by day, time-of-use tariff, Europe/London", goalMs: 250 },
] as const satisfies readonly { key: string; pricing: FleetPricing; name: string; goalMs: number }[];
export type CostCase = (typeof costCases)[number]["key"];

export function costResultName(label: string, costCase: CostCase, protocol: Protocol): string {
  return `${label}: GetUsage with cost, ${costCases.find(({ key }) => key === costCase)!.name} (${protocol})`;
}

/**
 * GetUsage with cost on the fleet, whole answers timed on binary gRPC, Connect JSON and GET
 * /api/usage in turns: every meter priced by an Octopus-like time-of-use tariff (one meter's
 * year by day, every meter's month by day with their total), then by a dynamic one (one
 * meter's year by day). The tariffs are put through the store, as `meterusage tariffs set`,
 * `prices import` and `meters set --tariff` do, before the store is served.
 */
export async function measureCost(
  location: string,
  meters: number,
  size: number,
  requests: number,
  whileServed: (location: string, measure: (server: ChildServer) => Promise<Result[]>) => Promise<Result[]>,
  label = "fleet",
): Promise<Result[]> {
  const month = (i: number) => ({ start: Date.UTC(2019, i % 12, 1), end: Date.UTC(2019, (i % 12) + 1, 1) });
  const all = Array.from({ length: meters }, (_, index) => fleetMeter(index));
  const asked: Record<CostCase, (i: number) => UsageAsked> = {
    "time-of-use-year": (i) => ({ meters: [fleetMeterIn(fleetZones.even, i, meters)], span: fleetYear, period: Period.DAY, timeZone: fleetZones.even }),
    "dynamic-year": (i) => ({ meters: [fleetMeterIn(fleetZones.even, i, meters)], span: fleetYear, period: Period.DAY, timeZone: fleetZones.even }),
    "fleet-month-time-of-use": (i) => ({ meters: all, span: month(i), period: Period.DAY, timeZone: fleetZones.even }),
  };
  const results: Result[] = [];
  for (const pricing of ["time-of-use", "dynamic"] as const) {
    await runWorker("set-fleet-tariffs.ts", [location, String(meters), pricing]);
    const measured = await whileServed(location, async (server) => {
      const served: Result[] = [];
      for (const { key } of costCases.filter((costCase) => costCase.pricing === pricing)) {
        const fleetWide = key === "fleet-month-time-of-use";
        const answers = await timeOnEveryProtocol(server.port, usageQuestion(asked[key]), fleetWide ? Math.max(10, Math.round(requests / 10)) : requests, fleetWide ? 3 : 10);
        const periods = checkedCosts(answers.first, key);
        for (const protocol of protocols) served.push(protocolResult(answers, protocol, size, costResultName(label, key, protocol), periods, `whole answer; ${periods} periods an answer`));
      }
      return served;
    });
    results.push(...measured);
  }
  return results;
}

interface CostedJson {
  meters: { periods: { cost?: number }[] }[];
  total?: { cost?: number }[];
}

/** The periods of the first answer, each with a cost on every protocol that answered, or the measurement is refused. */
function checkedCosts(first: Answers["first"], costCase: CostCase): number {
  if (first["binary gRPC h2c"] === undefined) throw new Error(`GetUsage with cost ${costCase}: binary gRPC gave no answer`);
  const grpc = fromBinary(GetUsageResponseSchema, first["binary gRPC h2c"] as Uint8Array);
  const costed = (periods: { cost?: number }[]) => periods.length > 0 && periods.every((period) => period.cost !== undefined);
  const answers: CostedJson[] = [grpc, ...[first["Connect JSON HTTP/1.1"], first["JSON route HTTP/1.1"]].filter((answer) => answer !== undefined).map((answer) => answer as CostedJson)];
  for (const answer of answers) {
    if (!answer.meters.every(({ periods }) => costed(periods)) || (answer.meters.length > 1 && !costed(answer.total ?? []))) {
      throw new Error(`GetUsage with cost ${costCase}: an answer has a period without a cost`);
    }
  }
  return grpc.meters[0].periods.length;
}

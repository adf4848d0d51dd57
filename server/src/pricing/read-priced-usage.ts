import type { ReadingStore } from "../store/reading-store.js";
import type { PeriodUsage } from "../usage/period-usage.js";
import { readUsage, type Usage, type UsageRequest } from "../usage/read-usage.js";
import { energyCosts } from "./energy-costs.js";
import { standingCharges } from "./standing-charges.js";
import { priceSpans, versionsInForce } from "./tariff-rates.js";
import type { Tariff } from "../tariffs/tariff.js";

/**
 * The meters' usage per calendar period, and what each period cost for each meter with a
 * tariff: energy_cost, standing_charge, cost and unpriced_count on every period, and the
 * tariff's currency. The total has costs too when every meter has a tariff in one currency.
 */
export async function readPricedUsage(store: ReadingStore, request: UsageRequest): Promise<Usage> {
  const usage = await readUsage(store, request);
  const assigned = await store.tariffs.meterTariffs();
  const names = [...new Set(usage.meters.flatMap(({ meter }) => assigned.get(meter) ?? []))];
  if (names.length === 0) return usage;
  const tariffs = new Map<string, Tariff>();
  for (const name of names) {
    const tariff = await store.tariffs.tariff(name);
    if (tariff !== undefined) tariffs.set(name, tariff);
  }
  const periods = usage.meters[0].periods;
  const span = periods.length === 0 ? undefined : { start: periods[0].start, end: periods[periods.length - 1].end };
  // One meter after another: reading them all at once held every meter's batch in memory together
  // and took twice the CPU time for a thousand meters.
  const costed: boolean[] = [];
  for (const meterPeriods of usage.meters) {
    const tariff = tariffs.get(assigned.get(meterPeriods.meter) ?? "");
    costed.push(tariff !== undefined);
    if (tariff === undefined) continue;
    const versions = versionsInForce(tariff);
    const dynamic = versions.some((version) => version.dynamic);
    const prices = dynamic && span !== undefined ? priceSpans(await store.tariffs.prices(tariff.name, span)) : [];
    const energy = await energyCosts(store, meterPeriods.meter, { versions, zone: tariff.timeZone, prices }, meterPeriods.periods);
    const standing = standingCharges(versions, tariff.timeZone, meterPeriods.periods);
    meterPeriods.periods.forEach((period, index) => setCost(period, energy.costs[index], standing[index], energy.unpriced[index]));
    meterPeriods.currency = tariff.currency;
  }
  const currencies = new Set(usage.meters.map(({ currency }) => currency));
  if (costed.every(Boolean) && currencies.size === 1) {
    usage.currency = usage.meters[0].currency;
    usage.total?.forEach((period, index) => {
      const parts = usage.meters.map(({ periods: meterPeriods }) => meterPeriods[index]);
      setCost(period, sumOf(parts, "energyCost"), sumOf(parts, "standingCharge"), sumOf(parts, "unpricedCount"));
    });
  }
  return usage;
}

function setCost(period: PeriodUsage, energyCost: number, standingCharge: number, unpricedCount: number): void {
  period.energyCost = energyCost;
  period.standingCharge = standingCharge;
  period.cost = energyCost + standingCharge;
  period.unpricedCount = unpricedCount;
}

function sumOf(periods: PeriodUsage[], field: "energyCost" | "standingCharge" | "unpricedCount"): number {
  return periods.reduce((sum, period) => sum + (period[field] ?? 0), 0);
}

import type { ReadingStore } from "../store/reading-store.js";
import type { PeriodUsage } from "../usage/period-usage.js";
import { readUsage, type MeterPeriods, type Usage, type UsageRequest } from "../usage/read-usage.js";
import { energyCosts } from "./energy-costs.js";
import { pricedSpans } from "./priced-spans.js";
import { standingCharges } from "./standing-charges.js";
import { versionsInForce } from "./tariff-rates.js";
import type { Tariff } from "../tariffs/tariff.js";

/**
 * The meters' usage per calendar period, and what each period cost for each meter with a
 * tariff: energy_cost, standing_charge, cost and unpriced_count on every period, and the
 * tariff's currency. The total has costs too when every meter has a tariff in one currency.
 */
export async function readPricedUsage(store: ReadingStore, request: UsageRequest): Promise<Usage> {
  const usage = await readUsage(store, request);
  const assigned = await store.tariffs.meterTariffs();
  const byTariff = new Map<string, MeterPeriods[]>();
  for (const meterPeriods of usage.meters) {
    const name = assigned.get(meterPeriods.meter);
    if (name === undefined) continue;
    const meters = byTariff.get(name);
    if (meters === undefined) byTariff.set(name, [meterPeriods]);
    else meters.push(meterPeriods);
  }
  if (byTariff.size === 0) return usage;
  // Every meter's periods are the same, so the meters of one tariff are priced over the same
  // spans, worked out once, and added up by the store together.
  const periods = usage.meters[0].periods;
  const span = periods.length === 0 ? undefined : { start: periods[0].start, end: periods[periods.length - 1].end };
  for (const [name, meters] of byTariff) {
    const tariff: Tariff | undefined = await store.tariffs.tariff(name);
    if (tariff === undefined) continue;
    const versions = versionsInForce(tariff);
    const dynamic = versions.some((version) => version.dynamic);
    const prices = dynamic && span !== undefined ? await store.tariffs.prices(tariff.name, span) : [];
    const priced = pricedSpans(versions, tariff.timeZone, prices, periods);
    const energy = await energyCosts(store, meters.map(({ meter }) => meter), priced, periods.length);
    const standing = standingCharges(versions, tariff.timeZone, periods);
    meters.forEach((meterPeriods, at) => {
      meterPeriods.periods.forEach((period, index) => setCost(period, energy[at].costs[index], standing[index], energy[at].unpriced[index]));
      meterPeriods.currency = tariff.currency;
    });
  }
  const currencies = new Set(usage.meters.map(({ currency }) => currency));
  if (!currencies.has(undefined) && currencies.size === 1) {
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

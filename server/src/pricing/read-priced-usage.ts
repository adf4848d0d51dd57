import type { TimeSpan } from "../readings/tally.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { PeriodUsage } from "../usage/period-usage.js";
import { readUsage, type MeterTallies, type Usage, type UsageRequest } from "../usage/read-usage.js";
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
  const assigned = await store.tariffs.meterTariffs();
  const tariffs = new Map<string, Tariff>();
  for (const name of new Set(request.meters.flatMap((meter) => assigned.get(meter.name) ?? []))) {
    const tariff = await store.tariffs.tariff(name);
    if (tariff !== undefined) tariffs.set(name, tariff);
  }
  if (tariffs.size === 0) return readUsage(store, request);
  const currencies = new Map<string, string>();
  // The usage of a priced meter is added up from its spans of one price, so that its chunks
  // are read once for both, and its periods are made with their costs.
  const usage = await readUsage(store, request, async (meters, periods) => {
    const tallies = new Map<string, MeterTallies>();
    const unpriced = meters.filter((meter) => !tariffs.has(assigned.get(meter) ?? ""));
    if (unpriced.length > 0) (await store.tallyColumns(unpriced, periods)).forEach((meterTallies, index) => tallies.set(unpriced[index], { tallies: meterTallies }));
    for (const tariff of tariffs.values()) {
      const priced = meters.filter((meter) => assigned.get(meter) === tariff.name);
      if (priced.length === 0) continue;
      const versions = versionsInForce(tariff);
      const prices = versions.some((version) => version.dynamic) && periods.length > 0 ? await store.tariffs.prices(tariff.name, whole(periods)) : [];
      const energy = await energyCosts(store, priced, pricedSpans(versions, tariff.timeZone, prices, periods), periods.length);
      const standingCharge = standingCharges(versions, tariff.timeZone, periods);
      priced.forEach((meter, index) => {
        const { tallies: meterTallies, costs, unpriced: unpricedCount } = energy[index];
        tallies.set(meter, { tallies: meterTallies, costs: { energyCost: costs, standingCharge, unpricedCount } });
        currencies.set(meter, tariff.currency);
      });
    }
    return meters.map((meter) => tallies.get(meter)!);
  });
  for (const meterPeriods of usage.meters) {
    const currency = currencies.get(meterPeriods.meter);
    if (currency !== undefined) meterPeriods.currency = currency;
  }
  const currenciesUsed = new Set(usage.meters.map(({ currency }) => currency));
  if (!currenciesUsed.has(undefined) && currenciesUsed.size === 1) {
    usage.currency = usage.meters[0].currency;
    // Field by field in one loop, in the meters' order: a thousand meters' month is 31,000 parts.
    usage.total?.forEach((period, index) => {
      let energyCost = 0;
      let standingCharge = 0;
      let unpricedCount = 0;
      for (const { periods: meterPeriods } of usage.meters) {
        const part = meterPeriods[index];
        energyCost += part.energyCost ?? 0;
        standingCharge += part.standingCharge ?? 0;
        unpricedCount += part.unpricedCount ?? 0;
      }
      setCost(period, energyCost, standingCharge, unpricedCount);
    });
  }
  return usage;
}

function whole(periods: TimeSpan[]): TimeSpan {
  return { start: periods[0].start, end: periods[periods.length - 1].end };
}

function setCost(period: PeriodUsage, energyCost: number, standingCharge: number, unpricedCount: number): void {
  period.energyCost = energyCost;
  period.standingCharge = standingCharge;
  period.cost = energyCost + standingCharge;
  period.unpricedCount = unpricedCount;
}

import type { TimeSpan } from "../readings/tally.js";
import type { ReadingStore } from "../store/reading-store.js";
import { LocalClock } from "./local-clock.js";
import { ratePrice, type VersionInForce } from "./tariff-rates.js";
import type { Price } from "../tariffs/tariff.js";

export interface EnergyCosts {
  /** Per period: the sum of each reading's value times its price. */
  costs: number[];
  /** Per period: readings with a value that no rate or price covers. */
  unpriced: number[];
}

const batchSize = 10_000;

/**
 * Prices one meter's readings over contiguous periods (oldest first): each reading by the
 * version in force at its time and, in it, the first rate whose window and days hold its local
 * time in the tariff's zone, or for a dynamic version the price span that holds its time.
 * Readings come in time order, so versions, prices, periods and the zone's offsets are each
 * walked once.
 */
export async function energyCosts(
  store: ReadingStore,
  meter: string,
  pricing: { versions: VersionInForce[]; zone: string; prices: Price[] },
  periods: TimeSpan[],
): Promise<EnergyCosts> {
  const costs = periods.map(() => 0);
  const unpriced = periods.map(() => 0);
  if (periods.length === 0) return { costs, unpriced };
  const start = periods[0].start;
  const end = periods[periods.length - 1].end;
  const { versions, prices } = pricing;
  const clock = new LocalClock(pricing.zone, start, end);
  let period = 0;
  let version = -1;
  let price = 0;
  for await (const batch of store.readBatches(meter, { start, end }, batchSize)) {
    for (const { time, value } of batch) {
      if (value === null) continue;
      while (periods[period].end <= time) period++;
      while (version + 1 < versions.length && versions[version + 1].from <= time) version++;
      let unitPrice: number | undefined;
      if (version >= 0) {
        const inForce = versions[version];
        if (inForce.dynamic) {
          while (price < prices.length && prices[price].end <= time) price++;
          if (price < prices.length && prices[price].start <= time) unitPrice = prices[price].price;
        } else {
          clock.set(time);
          unitPrice = ratePrice(inForce.rates, clock.timeOfDay, clock.weekday);
        }
      }
      if (unitPrice === undefined) unpriced[period]++;
      else costs[period] += value * unitPrice;
    }
  }
  return { costs, unpriced };
}

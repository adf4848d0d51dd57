import type { Tally } from "../readings/tally.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { PricedSpans } from "./priced-spans.js";

export interface EnergyCosts {
  /** Per period: what its readings add up to, as the usage without cost has it. */
  tallies: Tally[];
  /** Per period: the sum of each reading's value times its price. */
  costs: number[];
  /** Per period: readings with a value that no rate or price covers. */
  unpriced: number[];
}

// Meters tallied together hold this many tallies at most: a thousand meters' year of
// half-hourly prices is not held all at once, and a batch's tallies die young. Held for all
// 1,000 meters of a month by day at once, the 155,000 tallies of its time-of-use spans lived
// long enough to be copied by the young generation's collections, and cost more than
// adding them up (about a third of the answer's CPU).
const mostTallies = 8_192;

/**
 * Adds up meters' readings over the spans of constant price, in one pass of the store's over
 * their chunks (those inside a span from their stored figures, the others decoded into
 * arrays, no reading an object): each span costs what its readings add up to times its
 * price, and a period's tally is its spans' together. The costs differ from adding value
 * times price reading by reading, and the sums from the usage without cost, only in the
 * rounding of the additions.
 */
export async function energyCosts(store: ReadingStore, meters: string[], priced: PricedSpans, periodCount: number): Promise<EnergyCosts[]> {
  const { spans } = priced;
  const costs: EnergyCosts[] = [];
  const together = Math.max(1, Math.floor(mostTallies / Math.max(1, spans.length)));
  for (let first = 0; first < meters.length; first += together) {
    const batch = meters.slice(first, first + together);
    const tallies = spans.length === 0 ? batch.map(() => []) : await store.tally(batch, spans);
    for (const spanTallies of tallies) costs.push(periodCosts(spanTallies, priced, periodCount));
  }
  return costs;
}

/**
 * One meter's spans added up period by period, in span order as addInto would add them, with
 * each period's tally made once, whole, rather than grown span by span: a thousand meters'
 * month makes 31,000 of them.
 */
export function periodCosts(spanTallies: Tally[], { periods, prices }: PricedSpans, periodCount: number): EnergyCosts {
  const meterCosts: EnergyCosts = { tallies: [], costs: [], unpriced: [] };
  let index = 0;
  for (let period = 0; period < periodCount; period++) {
    let count = 0;
    let missingCount = 0;
    let sum = 0;
    let min: number | undefined;
    let max: number | undefined;
    let cost = 0;
    let unpriced = 0;
    for (; index < spanTallies.length && periods[index] === period; index++) {
      const tally = spanTallies[index];
      count += tally.count;
      missingCount += tally.missingCount;
      sum += tally.sum;
      if (tally.min !== undefined && (min === undefined || tally.min < min)) min = tally.min;
      if (tally.max !== undefined && (max === undefined || tally.max > max)) max = tally.max;
      if (tally.count === 0) continue;
      const price = prices[index];
      if (price === undefined) unpriced += tally.count;
      else cost += tally.sum * price;
    }
    const tally: Tally = { count, missingCount, sum };
    if (min !== undefined) tally.min = min;
    if (max !== undefined) tally.max = max;
    meterCosts.tallies.push(tally);
    meterCosts.costs.push(cost);
    meterCosts.unpriced.push(unpriced);
  }
  return meterCosts;
}

import { emptySpanTallies, higherOf, lowerOf, type SpanTallies } from "../readings/tally.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { PricedSpans } from "./priced-spans.js";

export interface EnergyCosts {
  /** Per period: what its readings add up to, as the usage without cost has it. */
  tallies: SpanTallies;
  /** Per period: the sum of each reading's value times its price. */
  costs: number[];
  /** Per period: readings with a value that no rate or price covers. */
  unpriced: number[];
}

// Meters tallied together hold this many span tallies at most: a thousand meters' year of
// half-hourly prices is not held all at once. Held for all 1,000 meters of a month by day at
// once, the 155,000 tallies of its time-of-use spans lived long enough to be copied by the young
// generation's collections; in batches of 54 meters (8,192 tallies), each batch paid a share's
// round trip to the store's tally thread. Batches of about 430 meters were 10-20 ms quicker
// than either, measured in turns in one process.
const mostTallies = 65_536;

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
    const tallies = spans.length === 0 ? batch.map(() => emptySpanTallies(0)) : await store.tallyColumns(batch, spans);
    for (const spanTallies of tallies) costs.push(periodCosts(spanTallies, priced, periodCount));
  }
  return costs;
}

/**
 * One meter's spans added up period by period, in span order as adding span tallies one into
 * another would: the same additions in the same order, so the same doubles.
 */
export function periodCosts(spanTallies: SpanTallies, { periods, prices }: Pick<PricedSpans, "periods" | "prices">, periodCount: number): EnergyCosts {
  const tallies = emptySpanTallies(periodCount);
  const costs = new Array<number>(periodCount);
  const unpriced = new Array<number>(periodCount);
  const spanCount = spanTallies.count.length;
  let index = 0;
  for (let period = 0; period < periodCount; period++) {
    let count = 0;
    let missingCount = 0;
    let sum = 0;
    // NaN: none yet.
    let min = NaN;
    let max = NaN;
    let cost = 0;
    let unpricedCount = 0;
    for (; index < spanCount && periods[index] === period; index++) {
      const spanValues = spanTallies.count[index];
      const spanSum = spanTallies.sum[index];
      count += spanValues;
      missingCount += spanTallies.missingCount[index];
      sum += spanSum;
      min = lowerOf(min, spanTallies.min[index]);
      max = higherOf(max, spanTallies.max[index]);
      if (spanValues === 0) continue;
      const price = prices[index];
      if (price === undefined) unpricedCount += spanValues;
      else cost += spanSum * price;
    }
    tallies.count[period] = count;
    tallies.missingCount[period] = missingCount;
    tallies.sum[period] = sum;
    tallies.min[period] = min;
    tallies.max[period] = max;
    costs[period] = cost;
    unpriced[period] = unpricedCount;
  }
  return { tallies, costs, unpriced };
}

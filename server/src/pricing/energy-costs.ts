import { addInto, emptyTally, type Tally } from "../readings/tally.js";
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
  const { spans, periods, prices } = priced;
  const costs: EnergyCosts[] = [];
  const together = Math.max(1, Math.floor(mostTallies / Math.max(1, spans.length)));
  for (let first = 0; first < meters.length; first += together) {
    const batch = meters.slice(first, first + together);
    const tallies = spans.length === 0 ? batch.map(() => []) : await store.tally(batch, spans);
    for (const spanTallies of tallies) {
      const meterCosts: EnergyCosts = {
        tallies: Array.from({ length: periodCount }, emptyTally),
        costs: new Array<number>(periodCount).fill(0),
        unpriced: new Array<number>(periodCount).fill(0),
      };
      spanTallies.forEach((tally, index) => {
        const period = periods[index];
        addInto(meterCosts.tallies[period], tally);
        if (tally.count === 0) return;
        const price = prices[index];
        if (price === undefined) meterCosts.unpriced[period] += tally.count;
        else meterCosts.costs[period] += tally.sum * price;
      });
      costs.push(meterCosts);
    }
  }
  return costs;
}

import type { ReadingStore } from "../store/reading-store.js";
import type { PricedSpans } from "./priced-spans.js";

export interface EnergyCosts {
  /** Per period: the sum of each reading's value times its price. */
  costs: number[];
  /** Per period: readings with a value that no rate or price covers. */
  unpriced: number[];
}

// Meters tallied together hold this many tallies at most, so a thousand meters' year of
// half-hourly prices is not held all at once.
const mostTallies = 200_000;

/**
 * Prices meters' readings over the spans of constant price, each meter by what its readings
 * of a span add up to times the span's price: the store adds up the chunks that lie inside a
 * span from their stored figures and decodes only those a span's edge cuts, and no reading
 * becomes an object. The sums differ from adding value times price reading by reading only
 * by the rounding of the additions.
 */
export async function energyCosts(store: ReadingStore, meters: string[], priced: PricedSpans, periodCount: number): Promise<EnergyCosts[]> {
  const { spans, periods, prices } = priced;
  const costs: EnergyCosts[] = [];
  const none = () => ({ costs: new Array<number>(periodCount).fill(0), unpriced: new Array<number>(periodCount).fill(0) });
  if (spans.length === 0) return meters.map(none);
  const together = Math.max(1, Math.floor(mostTallies / Math.max(1, spans.length)));
  for (let first = 0; first < meters.length; first += together) {
    for (const meterTallies of await store.tally(meters.slice(first, first + together), spans)) {
      const meterCosts = none();
      meterTallies.forEach(({ count, sum }, index) => {
        if (count === 0) return;
        const price = prices[index];
        if (price === undefined) meterCosts.unpriced[periods[index]] += count;
        else meterCosts.costs[periods[index]] += sum * price;
      });
      costs.push(meterCosts);
    }
  }
  return costs;
}

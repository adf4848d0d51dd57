import { emptySpanTallies, type SpanTallies, type Tally, type TimeSpan } from "../../src/readings/tally.js";
import type { ReadingStore } from "../../src/store/reading-store.js";

/** Each meter's tallies over the spans as objects, read from the store's columns: what the tests compare with their models. */
export async function storedTallies(store: ReadingStore, meters: string[], spans: TimeSpan[]): Promise<Tally[][]> {
  return talliesOf(await store.tallyColumns(meters, spans));
}

/** Each meter's columns as a list of Tally objects, one a span. */
export function talliesOf(columns: SpanTallies[]): Tally[][] {
  return columns.map((tallies) => Array.from(tallies.count, (_, index) => tallyAt(tallies, index)));
}

/** Span `index` of the columns as a Tally, without min and max when no reading has a value. */
export function tallyAt({ count, missingCount, sum, min, max }: SpanTallies, index: number): Tally {
  const tally: Tally = { count: count[index], missingCount: missingCount[index], sum: sum[index] };
  if (min[index] === min[index]) tally.min = min[index];
  if (max[index] === max[index]) tally.max = max[index];
  return tally;
}

/** Tallies as columns, the inverse of tallyAt. */
export function spanTalliesOf(tallies: Tally[]): SpanTallies {
  const columns = emptySpanTallies(tallies.length);
  tallies.forEach(({ count, missingCount, sum, min, max }, index) => {
    columns.count[index] = count;
    columns.missingCount[index] = missingCount;
    columns.sum[index] = sum;
    if (min !== undefined) columns.min[index] = min;
    if (max !== undefined) columns.max[index] = max;
  });
  return columns;
}

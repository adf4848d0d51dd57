import { addTotal, type Tally } from "../readings/tally.js";
import type { IndexedSpan } from "./usage-spans.js";

/** One stored total of a level (an hour or a day of one meter), its start in epoch milliseconds. */
export type StoredTotal = [start: number, count: number, missingCount: number, sum: number, min: number | null, max: number | null];

/**
 * Parts at least this many stored totals wide on average are added up by the database, each
 * part on its own; narrower ones are read total by total, one range a meter, and added up
 * here. Handing a row over costs about as much as the database adding up three or four, so a
 * year of local days (23 to 25 hours each) is added up a day at a time, a year of hours read.
 */
const widthAddedUpByDatabase = 4;

export function addedUpByDatabase(parts: IndexedSpan[], totalWidth: number): boolean {
  const width = parts.reduce((sum, [, start, end]) => sum + (end - start), 0) / totalWidth / parts.length;
  return width >= widthAddedUpByDatabase;
}

/** The range of stored totals that covers the parts (sorted, not overlapping). */
export function coveringRange(parts: IndexedSpan[]): [start: number, end: number] {
  return [parts[0][1], parts[parts.length - 1][2]];
}

/**
 * Adds one meter's stored totals, in time order, to the tallies of the spans their parts belong
 * to; totals between two parts belong to neither.
 */
export function addTotalsInOrder(tallies: Tally[], parts: IndexedSpan[], totals: Iterable<StoredTotal>): void {
  let at = 0;
  for (const [start, count, missingCount, sum, min, max] of totals) {
    while (at < parts.length && parts[at][2] <= start) at++;
    if (at === parts.length) break;
    if (start < parts[at][1]) continue;
    addTotal(tallies[parts[at][0]], count, missingCount, sum, min, max);
  }
}

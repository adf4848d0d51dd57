/** A half-open span [start, end) in epoch milliseconds with both bounds known. */
export interface TimeSpan {
  start: number;
  end: number;
}

/** What some readings add up to. */
export interface Tally {
  /** Readings with a value. */
  count: number;
  /** Readings without one. */
  missingCount: number;
  sum: number;
  /** Over the readings with a value; absent when none has one. */
  min?: number;
  max?: number;
}

export function emptyTally(): Tally {
  return { count: 0, missingCount: 0, sum: 0 };
}

export function addInto(total: Tally, part: Tally): void {
  addTotal(total, part.count, part.missingCount, part.sum, part.min ?? null, part.max ?? null);
}

/** As addInto, from the figures of a row, where no min or max is null: no object a row. */
export function addTotal(tally: Tally, count: number, missingCount: number, sum: number, min: number | null, max: number | null): void {
  tally.count += count;
  tally.missingCount += missingCount;
  tally.sum += sum;
  if (min !== null && (tally.min === undefined || min < tally.min)) tally.min = min;
  if (max !== null && (tally.max === undefined || max > tally.max)) tally.max = max;
}

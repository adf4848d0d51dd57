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
  total.count += part.count;
  total.missingCount += part.missingCount;
  total.sum += part.sum;
  if (part.min !== undefined) total.min = total.min === undefined ? part.min : Math.min(total.min, part.min);
  if (part.max !== undefined) total.max = total.max === undefined ? part.max : Math.max(total.max, part.max);
}

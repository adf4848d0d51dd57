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

/**
 * Tallies of many spans, a column a figure rather than an object a span: a thousand meters'
 * month by time-of-use windows is 155,000 spans. Span i has count[i], missingCount[i], sum[i],
 * and min[i] and max[i] over its readings with a value, NaN when none has one.
 */
export interface SpanTallies {
  count: Float64Array;
  missingCount: Float64Array;
  sum: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/** Tallies of `length` spans holding no reading, in one array. */
export function emptySpanTallies(length: number): SpanTallies {
  const tallies = spanTalliesIn(new Float64Array(spanTalliesLength(length)), length);
  tallies.min.fill(NaN);
  tallies.max.fill(NaN);
  return tallies;
}

/** The numbers the tallies of `length` spans take in one array, as spanTalliesIn lays them out. */
export function spanTalliesLength(length: number): number {
  return 5 * length;
}

/** The tallies of `length` spans as views of `figures`: count, missingCount, sum, min and max one after another. */
export function spanTalliesIn(figures: Float64Array, length: number): SpanTallies {
  const column = (index: number) => figures.subarray(index * length, (index + 1) * length);
  return { count: column(0), missingCount: column(1), sum: column(2), min: column(3), max: column(4) };
}

/** The lower of a min held so far and another, where NaN is none on either side (as in SpanTallies). */
export function lowerOf(held: number, other: number): number {
  return other === other && (held !== held || other < held) ? other : held;
}

/** The higher of a max held so far and another, where NaN is none on either side (as in SpanTallies). */
export function higherOf(held: number, other: number): number {
  return other === other && (held !== held || other > held) ? other : held;
}

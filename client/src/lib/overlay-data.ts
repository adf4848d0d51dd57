import type { BucketColumns } from "./bucket-columns.js";
import { mergeByTime } from "./merge-by-time.js";
import type { ReadingColumns } from "./reading-columns.js";

/** What one meter brings to a chart: its readings, or buckets when it has too many to draw. */
export interface MeterPoints {
  readonly readings: ReadingColumns;
  readonly buckets: BucketColumns | undefined;
}

export interface OverlayData {
  readonly times: number[];
  /** A line a meter: null breaks it (a missing reading, or a span without readings), undefined is no point of its own. */
  readonly lines: (number | null | undefined)[][];
  /** Where some meter's reading, or a whole bucket of them, is missing. */
  readonly missing: boolean[];
}

/**
 * Several meters on one time axis, for a chart of a line each. A meter charted by buckets
 * gives the buckets' means: a band each would bury the other lines.
 */
export function overlayData(meters: MeterPoints[]): OverlayData {
  const values = meters.map(({ readings, buckets }) => (buckets === undefined ? readings : { times: buckets.times, values: buckets.means }));
  const missingFlags = meters.map(({ readings, buckets }) =>
    buckets === undefined
      ? { times: readings.times, values: readings.values.map((value) => value === null) }
      : { times: buckets.times, values: buckets.means.map((mean, index) => mean === null && buckets.missingCounts[index] > 0) },
  );
  const { times, values: lines } = mergeByTime(values);
  const missing = mergeByTime(missingFlags).values;
  return { times, lines, missing: times.map((_, index) => missing.some((flags) => flags[index] === true)) };
}

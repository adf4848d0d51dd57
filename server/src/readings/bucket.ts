/** The readings of [start, end), summarized: what a chart needs when a range has too many to draw. */
export interface Bucket {
  start: number;
  end: number;
  /** Readings with a value. */
  count: number;
  /** Readings without one. */
  missingCount: number;
  /** Over the readings with a value; absent when none has one. */
  min?: number;
  max?: number;
  mean?: number;
}

/** The most buckets one request may ask for: more than any screen has pixels. */
export const maxBucketsPerRequest = 100_000;

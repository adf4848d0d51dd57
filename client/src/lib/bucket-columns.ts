import type { Bucket } from "./readings-source.js";

/**
 * Buckets as parallel columns, the way the chart draws them: a point at the middle of each
 * bucket, null where a bucket has no value. Times are epoch milliseconds.
 */
export interface BucketColumns {
  readonly times: number[];
  readonly means: (number | null)[];
  readonly mins: (number | null)[];
  readonly maxs: (number | null)[];
  /** Readings without a value in each bucket. */
  readonly missingCounts: number[];
  /** How many buckets there are; the columns also hold the gaps between them. */
  readonly bucketCount: number;
  /** Readings in all the buckets, missing ones included. */
  readonly readingCount: number;
  /** The start of the first bucket and the end of the last. */
  readonly start?: number;
  readonly end?: number;
}

export function bucketColumns(buckets: Bucket[]): BucketColumns {
  const columns = { times: [] as number[], means: [] as (number | null)[], mins: [] as (number | null)[], maxs: [] as (number | null)[], missingCounts: [] as number[] };
  const push = (time: number, bucket: Bucket | undefined) => {
    columns.times.push(time);
    columns.means.push(bucket?.mean ?? null);
    columns.mins.push(bucket?.min ?? null);
    columns.maxs.push(bucket?.max ?? null);
    columns.missingCounts.push(bucket?.missingCount ?? 0);
  };
  let readingCount = 0;
  for (let i = 0; i < buckets.length; i++) {
    const bucket = buckets[i];
    const previous = buckets[i - 1];
    // The service leaves out spans with no readings; a null point between keeps the line from bridging them.
    if (previous !== undefined && previous.end < bucket.start) push((previous.end + bucket.start) / 2, undefined);
    push((bucket.start + bucket.end) / 2, bucket);
    readingCount += bucket.count + bucket.missingCount;
  }
  return { ...columns, bucketCount: buckets.length, readingCount, start: buckets[0]?.start, end: buckets.at(-1)?.end };
}

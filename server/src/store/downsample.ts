import type { Bucket } from "../readings/bucket.js";
import type { TimeRange } from "../readings/reading.js";
import type { ReadingStore } from "./reading-store.js";

/**
 * At most `maxPoints` equal-width buckets over the range, or undefined when the range holds
 * no more readings than that and should be sent as it is. An unbounded side of the range
 * ends at the first or last stored reading.
 */
export async function downsample(store: ReadingStore, range: TimeRange, maxPoints: number): Promise<Bucket[] | undefined> {
  const extent = await store.extent(range);
  if (extent.count <= maxPoints || extent.firstTime === undefined || extent.lastTime === undefined) return undefined;
  const start = range.start ?? extent.firstTime;
  const end = range.end ?? extent.lastTime + 1;
  return store.bucketize({ start, end }, bucketWidth(end - start, maxPoints));
}

/** Milliseconds each bucket spans: whole seconds once a bucket spans one, so that bounds read well. */
export function bucketWidth(span: number, maxPoints: number): number {
  const width = Math.ceil(span / maxPoints);
  return width < 1000 ? Math.max(1, width) : Math.ceil(width / 1000) * 1000;
}

import type { Bucket } from "../readings/bucket.js";
import type { TimeRange } from "../readings/reading.js";
import type { ReadingStore } from "./reading-store.js";

/**
 * At most `maxPoints` equal-width buckets over the range, or undefined when the range holds
 * no more readings than that and should be sent as it is. An unbounded side of the range
 * ends at the first or last stored reading.
 */
export async function downsample(store: ReadingStore, range: TimeRange, maxPoints: number): Promise<Bucket[] | undefined> {
  const summary = await store.summarize(range);
  if (summary.count <= maxPoints || summary.firstTime === undefined || summary.lastTime === undefined) return undefined;
  const start = range.start ?? summary.firstTime;
  const end = range.end ?? summary.lastTime + 1;
  const width = Math.max(1, Math.ceil((end - start) / maxPoints));
  return store.bucketize({ start, end }, width);
}

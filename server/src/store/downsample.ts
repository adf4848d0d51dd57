import type { Bucket } from "../readings/bucket.js";
import type { TimeRange } from "../readings/reading.js";
import type { ReadingStore } from "./reading-store.js";

/**
 * At most `maxPoints` equal-width buckets over the range, or undefined when the range holds
 * no more readings than that and should be sent as it is. An open start is the first stored
 * reading's time; an open end, the end of the bucket holding the last.
 */
export async function downsample(store: ReadingStore, meter: string, range: TimeRange, maxPoints: number): Promise<Bucket[] | undefined> {
  const extent = await store.extent(meter, range);
  if (extent.count <= maxPoints || extent.firstTime === undefined || extent.lastTime === undefined) return undefined;
  const start = range.start ?? extent.firstTime;
  const width = bucketWidth((range.end ?? extent.lastTime + 1) - start, maxPoints);
  // An open end closes with the bucket that holds the last reading, a whole width like the rest.
  const end = range.end ?? start + (Math.floor((extent.lastTime - start) / width) + 1) * width;
  return store.bucketize(meter, { start, end }, width);
}

/** Units a bucket's width is a whole number of, the largest that fits ten times in it. */
const widthUnits = [86_400_000, 3_600_000, 60_000, 1000, 1];

/**
 * Milliseconds each bucket spans: at least the span over maxPoints, rounded up to whole days,
 * hours, minutes or seconds, so that bucket bounds read well (10 days 8 hours, not 10 days
 * 7 hours 50 minutes and a millisecond). Rounding to a tenth of the width or less keeps at
 * least nine tenths of the buckets asked for.
 */
export function bucketWidth(span: number, maxPoints: number): number {
  const width = Math.max(1, Math.ceil(span / maxPoints));
  const unit = widthUnits.find((candidate) => candidate * 10 <= width) ?? 1;
  return Math.ceil(width / unit) * unit;
}

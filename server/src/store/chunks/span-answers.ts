import type { Bucket } from "../../readings/bucket.js";
import type { Summary, TimeRange } from "../../readings/reading.js";
import type { Tally, TimeSpan } from "../../readings/tally.js";
import type { Extent } from "../reading-store.js";
import type { SpanFigures } from "./chunk-tally.js";

// Bounds that stand for "unbounded" in range queries; every stored time lies between them.
export const earliest = Number.MIN_SAFE_INTEGER;
export const latest = Number.MAX_SAFE_INTEGER;

/** A range as the one span its summary or extent adds up. */
export function wholeRange(range: TimeRange): TimeSpan {
  return { start: range.start ?? earliest, end: range.end ?? latest };
}

export function summaryOf({ count, missingCount, firstTime, lastTime, min, max, sum }: SpanFigures): Summary {
  return {
    count: count + missingCount,
    missingCount,
    firstTime,
    lastTime,
    min,
    max,
    mean: count > 0 ? sum / count : undefined,
    sum,
  };
}

export function extentOf({ count, missingCount, firstTime, lastTime }: SpanFigures): Extent {
  return { count: count + missingCount, firstTime, lastTime };
}

/** The spans of `width` that bucketize adds up, the last clipped to the range. */
export function bucketSpans(range: Required<TimeRange>, width: number): TimeSpan[] {
  const spans: TimeSpan[] = [];
  for (let start = range.start; start < range.end; start += width) spans.push({ start, end: Math.min(start + width, range.end) });
  return spans;
}

/** The buckets of the spans that hold readings. */
export function bucketsOf(spans: TimeSpan[], figures: SpanFigures[]): Bucket[] {
  const buckets: Bucket[] = [];
  figures.forEach(({ count, missingCount, min, max, sum }, index) => {
    if (count + missingCount === 0) return;
    const { start, end } = spans[index];
    buckets.push({ start, end, count, missingCount, min, max, mean: count > 0 ? sum / count : undefined });
  });
  return buckets;
}

export function tallyOf({ count, missingCount, sum, min, max }: SpanFigures): Tally {
  const tally: Tally = { count, missingCount, sum };
  if (min !== undefined) tally.min = min;
  if (max !== undefined) tally.max = max;
  return tally;
}

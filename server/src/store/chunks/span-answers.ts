import type { Bucket } from "../../readings/bucket.js";
import type { Summary, TimeRange } from "../../readings/reading.js";
import type { TimeSpan } from "../../readings/tally.js";
import type { Extent } from "../reading-store.js";
import type { SpanFigures } from "./chunk-tally.js";

// Bounds that stand for "unbounded" in range queries; every stored time lies between them.
export const earliest = Number.MIN_SAFE_INTEGER;
export const latest = Number.MAX_SAFE_INTEGER;

/** A range as the one span its summary or extent adds up. */
export function wholeRange(range: TimeRange): TimeSpan {
  return { start: range.start ?? earliest, end: range.end ?? latest };
}

/** The summary of a range, from the figures of its one span. */
export function summaryOf({ count, missingCount, firstTime, lastTime, min, max, sum }: SpanFigures): Summary {
  return {
    count: count[0] + missingCount[0],
    missingCount: missingCount[0],
    firstTime: presentOrUndefined(firstTime[0]),
    lastTime: presentOrUndefined(lastTime[0]),
    min: presentOrUndefined(min[0]),
    max: presentOrUndefined(max[0]),
    mean: count[0] > 0 ? sum[0] / count[0] : undefined,
    sum: sum[0],
  };
}

/** The extent of a range, from the figures of its one span. */
export function extentOf({ count, missingCount, firstTime, lastTime }: SpanFigures): Extent {
  return { count: count[0] + missingCount[0], firstTime: presentOrUndefined(firstTime[0]), lastTime: presentOrUndefined(lastTime[0]) };
}

/** The spans of `width` that bucketize adds up, the last clipped to the range. */
export function bucketSpans(range: Required<TimeRange>, width: number): TimeSpan[] {
  const spans: TimeSpan[] = [];
  for (let start = range.start; start < range.end; start += width) spans.push({ start, end: Math.min(start + width, range.end) });
  return spans;
}

/** The buckets of the spans that hold readings. */
export function bucketsOf(spans: TimeSpan[], { count, missingCount, min, max, sum }: SpanFigures): Bucket[] {
  const buckets: Bucket[] = [];
  spans.forEach(({ start, end }, index) => {
    if (count[index] + missingCount[index] === 0) return;
    const mean = count[index] > 0 ? sum[index] / count[index] : undefined;
    buckets.push({ start, end, count: count[index], missingCount: missingCount[index], min: presentOrUndefined(min[index]), max: presentOrUndefined(max[index]), mean });
  });
  return buckets;
}

/** A figure, or undefined where the columns hold NaN for "none". */
function presentOrUndefined(figure: number): number | undefined {
  return figure === figure ? figure : undefined;
}

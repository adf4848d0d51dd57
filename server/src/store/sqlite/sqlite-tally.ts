import { spanTalliesIn, spanTalliesLength, type SpanTallies, type TimeSpan } from "../../readings/tally.js";
import { tallyChunks } from "../chunks/chunk-tally.js";
import type { SqliteChunks } from "./sqlite-chunks.js";

/** Meters whose chunks a tally of many meters lists in one statement. */
const metersPerListing = 50;

/**
 * Many meters' readings added up over many spans (a fleet's month by day), `ids[i]` the id of
 * meter `names[i]`: a statement for each few dozen meters rather than one each, and few
 * enough chunks held at once that they die young.
 */
export function tallyMeters(chunks: SqliteChunks, ids: number[], names: string[], spans: TimeSpan[]): SpanTallies[] {
  const [from, end] = [spans[0].start, spans[spans.length - 1].end];
  const tallies: SpanTallies[] = [];
  for (let first = 0; first < ids.length; first += metersPerListing) {
    const listed = chunks.metersListedWithBytes(ids.slice(first, first + metersPerListing), from, end);
    listed.forEach((meterChunks, index) => tallies.push(tallyChunks(meterChunks, spans, names[first + index], (chunk) => chunk.bytes)));
  }
  return tallies;
}

/** Meters' tallies of `spanCount` spans in one array, to pass to another thread whole. */
export function packTallies(tallies: SpanTallies[], spanCount: number): Float64Array<ArrayBuffer> {
  const length = spanTalliesLength(spanCount);
  const packed = new Float64Array(tallies.length * length);
  tallies.forEach(({ count, missingCount, sum, min, max }, index) => {
    [count, missingCount, sum, min, max].forEach((column, at) => packed.set(column, index * length + at * spanCount));
  });
  return packed;
}

/** The tallies of `meterCount` meters as packTallies laid them out, as views of `packed`. */
export function unpackTallies(packed: Float64Array, meterCount: number, spanCount: number): SpanTallies[] {
  const length = spanTalliesLength(spanCount);
  return Array.from({ length: meterCount }, (_, index) => spanTalliesIn(packed.subarray(index * length, (index + 1) * length), spanCount));
}

import { chunkCount, decodeChunkInto } from "../../chunks/chunk-codec.js";
import { CorruptChunkError } from "../../chunks/corrupt-chunk-error.js";
import { emptySpanTallies, higherOf, lowerOf, type SpanTallies, type TimeSpan } from "../../readings/tally.js";
import type { ListedChunk } from "./chunk-figures.js";
import { DamagedChunkError } from "./damaged-chunk-error.js";

/**
 * What the readings of each span add up to, with the first and last time of each: tallies, a
 * summary and an extent in one, a column a figure. A span without readings has NaN times.
 */
export interface SpanFigures extends SpanTallies {
  firstTime: Float64Array;
  lastTime: Float64Array;
}

export function emptySpanFigures(length: number): SpanFigures {
  return { ...emptySpanTallies(length), firstTime: new Float64Array(length).fill(NaN), lastTime: new Float64Array(length).fill(NaN) };
}

// The chunks cut by a span's edge are decoded into these, one after another, rather than into
// arrays of their own: a thousand meters' month by day decodes every chunk of the month.
let times = new Float64Array(1024);
let values = new Float64Array(1024);

/**
 * Adds up one meter's chunks (sorted by start, not overlapping) over spans (sorted, not
 * overlapping): a chunk that lies inside one span adds its stored figures; only a chunk that a
 * span's edge cuts is decoded, from `bytesOf`, and its readings added span by span. A year by
 * day therefore decodes at most the chunks that hold a day's edge, and a year as one span two.
 * A chunk that does not decode is a DamagedChunkError naming `meter`.
 */
export function tallyChunks<Chunk extends ListedChunk>(chunks: Chunk[], spans: TimeSpan[], meter: string, bytesOf: (chunk: Chunk) => Uint8Array): SpanFigures {
  const figures = emptySpanFigures(spans.length);
  placeChunks(chunks, spans, (chunk, at, whole) => {
    if (whole) addChunk(figures, at, chunk);
    else addReadings(figures, spans, at, decodeCut(bytesOf(chunk), meter, chunk));
  });
  return figures;
}

/** Decodes a chunk into the shared columns, answering its count. */
function decodeCut(bytes: Uint8Array, meter: string, chunk: ListedChunk): number {
  try {
    const count = chunkCount(bytes);
    if (count > times.length) {
      times = new Float64Array(count);
      values = new Float64Array(count);
    }
    return decodeChunkInto(bytes, { times, values });
  } catch (error) {
    if (error instanceof CorruptChunkError) throw new DamagedChunkError(meter, chunk.start, chunk.key, error);
    throw error;
  }
}

/**
 * The chunks tallyChunks will decode, for an engine that fetches their bytes before it adds up
 * (PostgreSQL, where a fetch is a round trip and columnsOf cannot wait for one).
 */
export function chunksToDecode(chunks: ListedChunk[], spans: TimeSpan[]): ListedChunk[] {
  const cut: ListedChunk[] = [];
  placeChunks(chunks, spans, (chunk, _at, whole) => {
    if (!whole) cut.push(chunk);
  });
  return cut;
}

/** Calls `place` for each chunk that holds readings of a span: whole when it lies inside span `at`, else cut by an edge from span `at` on. */
function placeChunks<Chunk extends ListedChunk>(chunks: Chunk[], spans: TimeSpan[], place: (chunk: Chunk, at: number, whole: boolean) => void): void {
  let at = 0;
  for (const chunk of chunks) {
    while (at < spans.length && spans[at].end <= chunk.start) at++;
    if (at === spans.length) return;
    const span = spans[at];
    if (chunk.last < span.start) continue;
    place(chunk, at, chunk.start >= span.start && chunk.last < span.end);
  }
}

function addChunk(figures: SpanFigures, at: number, chunk: ListedChunk): void {
  figures.count[at] += chunk.valueCount;
  figures.missingCount[at] += chunk.missingCount;
  figures.sum[at] += chunk.sum;
  figures.min[at] = lowerOf(figures.min[at], chunk.min ?? NaN);
  figures.max[at] = higherOf(figures.max[at], chunk.max ?? NaN);
  if (figures.firstTime[at] !== figures.firstTime[at]) figures.firstTime[at] = chunk.start;
  figures.lastTime[at] = chunk.last;
}

/** Adds the first `count` readings of the shared columns to the spans from `from` on that hold them, in time order. */
function addReadings(figures: SpanFigures, spans: TimeSpan[], from: number, count: number): void {
  let i = 0;
  for (let at = from; at < spans.length && i < count; at++) {
    const { start, end } = spans[at];
    if (end <= times[i]) continue;
    if (times[i] < start) i = indexAtOrAfter(start, i, count);
    i = addRange(figures, at, i, count, end);
  }
}

/**
 * Adds the readings from `from` on that come before `end` (and before `count`) to span `at`,
 * one after another, as a reading at a time would, and answers the index of the first after
 * them. Found on the way rather than by a search first: the spans of a priced day hold a few
 * dozen readings each, fewer than a search's steps over a chunk cost.
 */
function addRange(figures: SpanFigures, at: number, from: number, count: number, end: number): number {
  let i = from;
  let valued = 0;
  let sum = figures.sum[at];
  // Infinity and -Infinity stand for "none yet": a value equal to them leaves them as they are, as it would the same min or max.
  const heldMin = figures.min[at];
  const heldMax = figures.max[at];
  let min = heldMin === heldMin ? heldMin : Infinity;
  let max = heldMax === heldMax ? heldMax : -Infinity;
  for (; i < count && times[i] < end; i++) {
    const value = values[i];
    if (value !== value) continue;
    valued++;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (i === from) return i;
  if (figures.firstTime[at] !== figures.firstTime[at]) figures.firstTime[at] = times[from];
  figures.lastTime[at] = times[i - 1];
  figures.missingCount[at] += i - from - valued;
  if (valued === 0) return i;
  figures.count[at] += valued;
  figures.sum[at] = sum;
  figures.min[at] = min;
  figures.max[at] = max;
  return i;
}

/** The index of the first of the shared times in [low, high) at or after `time`; high when there is none. */
function indexAtOrAfter(time: number, low: number, high: number): number {
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle] < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

import type { ChunkColumns } from "../../chunks/chunk-codec.js";
import type { TimeSpan } from "../../readings/tally.js";
import type { ListedChunk } from "./chunk-figures.js";

/** What the readings of a span add up to, with its first and last time: a tally, a summary and an extent in one. */
export interface SpanFigures {
  /** Readings with a value. */
  count: number;
  missingCount: number;
  sum: number;
  min: number | undefined;
  max: number | undefined;
  firstTime: number | undefined;
  lastTime: number | undefined;
}

export function emptySpanFigures(): SpanFigures {
  return { count: 0, missingCount: 0, sum: 0, min: undefined, max: undefined, firstTime: undefined, lastTime: undefined };
}

/**
 * Adds up one meter's chunks (sorted by start, not overlapping) over spans (sorted, not
 * overlapping): a chunk that lies inside one span adds its stored figures; only a chunk that a
 * span's edge cuts is decoded, by `columnsOf`, and added reading by reading. A year by day
 * therefore decodes at most the chunks that hold a day's edge, and a year as one span two.
 */
export function tallyChunks(chunks: ListedChunk[], spans: TimeSpan[], columnsOf: (chunk: ListedChunk) => ChunkColumns): SpanFigures[] {
  const tallies = spans.map(emptySpanFigures);
  placeChunks(chunks, spans, (chunk, at, whole) => {
    if (whole) addChunk(tallies[at], chunk);
    else addReadings(tallies, spans, at, columnsOf(chunk));
  });
  return tallies;
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
function placeChunks(chunks: ListedChunk[], spans: TimeSpan[], place: (chunk: ListedChunk, at: number, whole: boolean) => void): void {
  let at = 0;
  for (const chunk of chunks) {
    while (at < spans.length && spans[at].end <= chunk.start) at++;
    if (at === spans.length) return;
    const span = spans[at];
    if (chunk.last < span.start) continue;
    place(chunk, at, chunk.start >= span.start && chunk.last < span.end);
  }
}

function addChunk(tally: SpanFigures, chunk: ListedChunk): void {
  tally.count += chunk.valueCount;
  tally.missingCount += chunk.missingCount;
  tally.sum += chunk.sum;
  if (chunk.min !== null && (tally.min === undefined || chunk.min < tally.min)) tally.min = chunk.min;
  if (chunk.max !== null && (tally.max === undefined || chunk.max > tally.max)) tally.max = chunk.max;
  if (tally.firstTime === undefined) tally.firstTime = chunk.start;
  tally.lastTime = chunk.last;
}

function addReadings(tallies: SpanFigures[], spans: TimeSpan[], from: number, { times, values }: ChunkColumns): void {
  let at = from;
  let tally = tallies[at];
  for (let i = 0; i < times.length; i++) {
    const time = times[i];
    if (time >= spans[at].end) {
      while (at < spans.length && spans[at].end <= time) at++;
      if (at === spans.length) return;
      tally = tallies[at];
    }
    if (time < spans[at].start) continue;
    if (tally.firstTime === undefined) tally.firstTime = time;
    tally.lastTime = time;
    const value = values[i];
    if (value !== value) {
      tally.missingCount++;
      continue;
    }
    tally.count++;
    tally.sum += value;
    if (tally.min === undefined || value < tally.min) tally.min = value;
    if (tally.max === undefined || value > tally.max) tally.max = value;
  }
}

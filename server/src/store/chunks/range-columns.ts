import { chunkCount, decodeChunkInto } from "../../chunks/chunk-codec.js";
import { CorruptChunkError } from "../../chunks/corrupt-chunk-error.js";
import type { ReadingColumns } from "../../readings/reading-columns.js";
import type { TimeRange } from "../../readings/reading.js";
import { DamagedChunkError } from "./damaged-chunk-error.js";
import { firstAtOrAfter } from "./stored-chunk.js";

/** A chunk as a range read pages through them: where it starts, its key for errors, its bytes. */
export interface PageChunk {
  start: number;
  key: number;
  bytes: Uint8Array;
}

/**
 * The readings of a page of one meter's chunks (oldest first) that lie inside the range,
 * decoded into one pair of columns without an object per reading, behind `before` (readings
 * a batch began with on the page before, see ColumnBatcher): the only readings copied. A
 * damaged chunk is an error naming the meter and the chunk.
 */
export function pageColumns(chunks: PageChunk[], meter: string, range: Required<TimeRange>, before: ReadingColumns = noColumns): ReadingColumns {
  let total = 0;
  for (const chunk of chunks) total += counted(chunk, meter);
  const lead = before.times.length;
  const columns = { times: new Float64Array(lead + total), values: new Float64Array(lead + total) };
  let at = lead;
  for (const chunk of chunks) at += decoded(chunk, meter, columns, at);
  const { times, values } = columns;
  const decodedTimes = times.subarray(lead);
  const from = lead + firstAtOrAfter(decodedTimes, range.start);
  // A follower's last page may start past the range's end: then nothing of it is inside.
  const to = Math.max(from, lead + firstAtOrAfter(decodedTimes, range.end));
  // Readings before the range (the chunk a range starts inside) make room for `before`.
  times.set(before.times, from - lead);
  values.set(before.values, from - lead);
  return from === lead && to === lead + total ? columns : { times: times.subarray(from - lead, to), values: values.subarray(from - lead, to) };
}

function counted({ bytes, start, key }: PageChunk, meter: string): number {
  try {
    return chunkCount(bytes);
  } catch (error) {
    throw damaged(error, meter, start, key);
  }
}

function decoded({ bytes, start, key }: PageChunk, meter: string, columns: ReadingColumns, at: number): number {
  try {
    return decodeChunkInto(bytes, columns, at);
  } catch (error) {
    throw damaged(error, meter, start, key);
  }
}

function damaged(error: unknown, meter: string, start: number, key: number): unknown {
  return error instanceof CorruptChunkError ? new DamagedChunkError(meter, start, key, error) : error;
}

const noColumns: ReadingColumns = { times: new Float64Array(0), values: new Float64Array(0) };

/**
 * Cuts pages into batches of exactly `size` readings (the last of a range may be shorter),
 * each a view of its page's columns, as every page decodes into arrays of its own: a batch
 * stays valid after the next is made, and nothing is copied. A page's last readings, fewer
 * than a batch, are its leftover: the next page is decoded behind them (pageColumns'
 * `before`), and what the last page leaves is the range's last batch.
 */
export class ColumnBatcher {
  private tail = noColumns;

  constructor(private readonly size: number) {}

  /** The readings the last page left over, for the next page to be decoded behind. */
  leftover(): ReadingColumns {
    const tail = this.tail;
    this.tail = noColumns;
    return tail;
  }

  /** The full batches of a page that begins with the leftover of the one before, oldest first. */
  *add(columns: ReadingColumns): Generator<ReadingColumns> {
    if (this.tail.times.length > 0) throw new Error("a page must begin with the leftover of the page before it: take leftover() first");
    const { times, values } = columns;
    let from = 0;
    for (; times.length - from >= this.size; from += this.size) {
      yield { times: times.subarray(from, from + this.size), values: values.subarray(from, from + this.size) };
    }
    this.tail = from === 0 ? columns : { times: times.subarray(from), values: values.subarray(from) };
  }

  /** What is left, as a batch that may be empty. */
  rest(): ReadingColumns {
    return this.leftover();
  }
}

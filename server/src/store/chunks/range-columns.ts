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
 * decoded into one pair of columns without a copy or an object per reading; a damaged chunk
 * is an error naming the meter and the chunk.
 */
export function pageColumns(chunks: PageChunk[], meter: string, range: Required<TimeRange>): ReadingColumns {
  let total = 0;
  for (const chunk of chunks) total += counted(chunk, meter);
  const columns = { times: new Float64Array(total), values: new Float64Array(total) };
  let at = 0;
  for (const chunk of chunks) at += decoded(chunk, meter, columns, at);
  const { times, values } = columns;
  const from = firstAtOrAfter(times, range.start);
  const to = firstAtOrAfter(times, range.end);
  return from === 0 && to === total ? columns : { times: times.subarray(from, to), values: values.subarray(from, to) };
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

const empty = new Float64Array(0);

/**
 * Regroups columns into batches of exactly `size` readings (the last of a range may be
 * shorter). A whole batch that lies within one page's columns is a view of them, as each
 * page decodes into arrays of its own, and so is a page's tail until the next page comes: a
 * range that ends inside it (every short range) is never copied. Only readings that straddle
 * pages are copied, once, into a batch's own arrays. Either way a batch stays valid after the
 * next is made.
 */
export class ColumnBatcher {
  private times = empty;
  private values = empty;
  private filled = 0;
  /** A page's last readings, fewer than a batch, not copied yet. */
  private tail: ReadingColumns | undefined;

  constructor(private readonly size: number) {}

  /** The full batches `columns` completes, oldest first. */
  *add(columns: ReadingColumns): Generator<ReadingColumns> {
    const count = columns.times.length;
    if (count === 0) return;
    if (this.tail !== undefined) {
      const tail = this.tail;
      this.tail = undefined;
      this.copy(tail, 0, tail.times.length);
    }
    for (let from = 0; from < count; ) {
      if (this.filled === 0 && count - from >= this.size) {
        yield { times: columns.times.subarray(from, from + this.size), values: columns.values.subarray(from, from + this.size) };
        from += this.size;
        continue;
      }
      if (this.filled === 0) {
        this.tail = { times: columns.times.subarray(from), values: columns.values.subarray(from) };
        return;
      }
      const take = Math.min(count - from, this.size - this.filled);
      this.copy(columns, from, take);
      from += take;
      if (this.filled === this.size) yield this.take();
    }
  }

  /** What is left, as a batch that may be empty. */
  rest(): ReadingColumns {
    const tail = this.tail;
    this.tail = undefined;
    return tail ?? this.take();
  }

  private copy(columns: ReadingColumns, from: number, count: number): void {
    if (this.times.length === 0) {
      this.times = new Float64Array(this.size);
      this.values = new Float64Array(this.size);
    }
    this.times.set(columns.times.subarray(from, from + count), this.filled);
    this.values.set(columns.values.subarray(from, from + count), this.filled);
    this.filled += count;
  }

  private take(): ReadingColumns {
    const batch = { times: this.times.subarray(0, this.filled), values: this.values.subarray(0, this.filled) };
    this.times = empty;
    this.values = empty;
    this.filled = 0;
    return batch;
  }
}

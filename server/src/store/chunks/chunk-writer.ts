import { encodeChunk } from "../../chunks/chunk-codec.js";
import { figuresOf, type ChunkFigures } from "./chunk-figures.js";
import { firstAtOrAfter } from "./stored-chunk.js";
import { decodeStoredChunk } from "./stored-chunk.js";

/**
 * How many readings a chunk holds once it is sealed: the tail chunk grows to this many, then
 * the next reading starts a new one, and a chunk that late writes push past it is split.
 * Chosen by measurement (see the README's Storage section): fewer cost more per reading in
 * the figures and keys every chunk carries, more make each late write re-encode more.
 */
export const sealedChunkReadings = 720;

/** The stored chunk a reading belongs in, as the engine found it. */
export interface OwningChunk {
  /** The engine's key for the chunk, handed back in the writes that replace it. */
  key: number;
  start: number;
  last: number;
  /** Readings, missing ones included. */
  count: number;
  bytes: Uint8Array;
  /** Whether no chunk of the meter starts before this one, so that earlier readings belong here too. */
  isFirst: boolean;
  /** The start of the meter's next chunk; undefined for the last. */
  nextStart: number | undefined;
}

/** A chunk to store: a new one when `key` is undefined, else the replacement of that stored chunk. */
export interface ChunkWrite {
  key: number | undefined;
  /** The start of the stored chunk it replaces: where the start stays, an engine need not touch what it indexes by start. */
  storedStart?: number;
  figures: ChunkFigures;
  bytes: Uint8Array;
}

/**
 * One meter's chunk being written: readings a chunk owns are added to it in memory, and the
 * chunk is encoded once when the writer moves on (flush), so a burst of readings into one
 * chunk costs one encoding and one row write, whatever their order.
 *
 * A chunk owns the times from its start up to the next chunk's start; the first chunk also
 * owns every earlier time, and the last every later one until it is sealed, after which a
 * later reading starts a new chunk. The engine finds the owner of a time (`open`), applies the
 * writes `flush` returns, and holds the transaction: this class does no I/O, so SQLite and
 * PostgreSQL share it.
 */
export class MeterChunkWriter {
  private key: number | undefined;
  private storedStart: number | undefined;
  private lower = Infinity;
  private upper = -Infinity;
  // The open chunk's readings, in arrays kept from chunk to chunk: a writer fills and flushes
  // thousands of chunks in an import, and growing a fresh array for each was most of its time.
  private times = new Float64Array(sealedChunkReadings);
  private values = new Float64Array(sealedChunkReadings);
  private count = 0;
  private changed = false;

  constructor(readonly meter: string) {}

  /** Whether the open chunk owns this time; when not, flush, then open the time's owner. */
  covers(time: number): boolean {
    return time >= this.lower && time < this.upper;
  }

  /** Opens the chunk that owns `time`: `owner` as the engine found it, undefined when the meter has no chunk. */
  open(owner: OwningChunk | undefined, time: number): void {
    this.count = 0;
    this.changed = false;
    this.key = undefined;
    this.storedStart = undefined;
    if (owner === undefined) {
      this.lower = -Infinity;
      this.upper = Infinity;
      return;
    }
    const sealed = owner.count >= sealedChunkReadings;
    if (owner.nextStart === undefined && sealed && time > owner.last) {
      this.lower = owner.last + 1;
      this.upper = Infinity;
      return;
    }
    const { times, values } = decodeStoredChunk(owner.bytes, this.meter, owner.start, owner.key);
    this.reserve(times.length);
    this.times.set(times);
    this.values.set(values);
    this.count = times.length;
    this.key = owner.key;
    this.storedStart = owner.start;
    this.lower = owner.isFirst ? -Infinity : owner.start;
    this.upper = owner.nextStart ?? (sealed ? owner.last + 1 : Infinity);
  }

  /**
   * Adds a reading at a time the open chunk owns; false, adding nothing, when the chunk already
   * holds that time (storedValue tells its value).
   */
  add(time: number, value: number | null): boolean {
    const count = this.count;
    // A zero is stored without its sign, as SQLite's REAL column stored it before chunks.
    const stored = value === null ? NaN : value === 0 ? 0 : value;
    this.changed = true;
    if (count === this.times.length) this.reserve(count + 1);
    const { times, values } = this;
    if (count === 0 || time > times[count - 1]) {
      times[count] = time;
      values[count] = stored;
      this.count = count + 1;
      return true;
    }
    const at = firstAtOrAfter(times.subarray(0, count), time);
    if (times[at] === time) return false;
    times.copyWithin(at + 1, at, count);
    values.copyWithin(at + 1, at, count);
    times[at] = time;
    values[at] = stored;
    this.count = count + 1;
    return true;
  }

  /** The value the open chunk holds at a time it holds; null for a missing one. */
  storedValue(time: number): number | null {
    const value = this.values[firstAtOrAfter(this.times.subarray(0, this.count), time)];
    return value === value ? value : null;
  }

  /** Room for `count` readings, keeping those held. */
  private reserve(count: number): void {
    if (count <= this.times.length) return;
    const size = Math.max(count, this.times.length * 2);
    const times = new Float64Array(size);
    const values = new Float64Array(size);
    times.set(this.times.subarray(0, this.count));
    values.set(this.values.subarray(0, this.count));
    this.times = times;
    this.values = values;
  }

  /** Whether the open chunk is the meter's last and full: flushing it now keeps memory bounded. */
  get isFullTail(): boolean {
    return this.upper === Infinity && this.count >= sealedChunkReadings;
  }

  /**
   * The writes that store the open chunk, encoded: the tail in sealed pieces and what remains,
   * any other chunk split evenly when it grew past a sealed chunk's size. Closes the chunk,
   * except that a tail flushed whole leaves a new, empty tail open after it.
   */
  flush(): ChunkWrite[] {
    if (!this.changed) {
      this.close();
      return [];
    }
    const { times, values, count } = this;
    const isTail = this.upper === Infinity;
    const bounds = isTail ? tailPieces(count) : evenPieces(count);
    const writes = bounds.map(([from, to], index): ChunkWrite => {
      const pieceTimes = times.subarray(from, to);
      const pieceValues = values.subarray(from, to);
      return {
        key: index === 0 ? this.key : undefined,
        storedStart: index === 0 ? this.storedStart : undefined,
        figures: figuresOf(pieceTimes, pieceValues),
        bytes: encodeChunk(pieceTimes, pieceValues),
      };
    });
    if (isTail && count % sealedChunkReadings === 0) {
      const last = times[count - 1];
      this.open(undefined, last);
      this.lower = last + 1;
    } else {
      this.close();
    }
    return writes;
  }

  private close(): void {
    this.key = undefined;
    this.storedStart = undefined;
    this.lower = Infinity;
    this.upper = -Infinity;
    this.count = 0;
    this.changed = false;
  }
}

/** Sealed pieces from the start, then what remains. */
function tailPieces(count: number): [from: number, to: number][] {
  const pieces: [number, number][] = [];
  for (let from = 0; from < count; from += sealedChunkReadings) pieces.push([from, Math.min(count, from + sealedChunkReadings)]);
  return pieces;
}

/** As few pieces as keep each within a sealed chunk's size, of even sizes. */
function evenPieces(count: number): [from: number, to: number][] {
  const pieceCount = Math.ceil(count / sealedChunkReadings);
  return Array.from({ length: pieceCount }, (_, index) => [
    Math.floor((index * count) / pieceCount),
    Math.floor(((index + 1) * count) / pieceCount),
  ]);
}

/**
 * Old readings turned into chunks as they are read, meter by meter in time order (the store
 * upgrades), each finished chunk handed to `write` with its meter's id.
 */
export class SortedRowsChunker {
  private writer: MeterChunkWriter | undefined;
  private meter = 0;

  constructor(private readonly write: (meter: number, writes: ChunkWrite[]) => void) {}

  add(meter: number, time: number, value: number | null): void {
    let writer = this.writer;
    if (writer === undefined || meter !== this.meter) {
      this.finish();
      writer = this.writer = new MeterChunkWriter(`#${meter}`);
      this.meter = meter;
      writer.open(undefined, time);
    }
    writer.add(time, value);
    if (writer.isFullTail) this.write(meter, writer.flush());
  }

  /** Hands over the last meter's open chunk. */
  finish(): void {
    if (this.writer !== undefined) this.write(this.meter, this.writer.flush());
    this.writer = undefined;
  }
}

// A chunk: one meter's readings over a stretch of time, as bytes, exact to the bit.
//
// Byte layout (integers little-endian; a varint is unsigned LEB128 of at most 8 bytes):
//
//   byte     format version, 2 (version 1, written by the first chunked stores, differs only in
//            its regular times: see chunk-times.ts; this codec reads both)
//   byte     kinds: bits 0-1 times form, bits 2-3 missing form, bits 4-5 values form,
//            bit 6 set when the first time is negative, bit 7 set for times in whole seconds
//   varint   count of readings (at most 2^24)
//   times    (absent when count is 0; see chunk-times.ts)
//              varint |first time|, in epoch milliseconds or seconds; then, when count >= 2:
//              0 regular:   varint step
//              1 deltas:    the count - 1 deltas as packed blocks
//              2 raw:       count - 1 float64 times in milliseconds (never in seconds)
//              3 irregular: varint step, varint n, n x (varint index gap, zigzag varint delta - step)
//   missing  (see chunk-missing.ts)
//              0 none:      nothing
//              1 positions: varint n, n x varint gap to the previous missing position
//              2 bitmap:    ceil(count / 8) bytes, bit i of byte i / 8 set for a missing reading
//              3 all:       nothing
//   values   of the present readings (see chunk-values.ts)
//              0 none:    nothing (every reading missing, or none)
//              1 decimal: byte e (0..15), zigzag varint first value x 10^e, the deltas of the
//                         scaled integers as packed blocks
//              2 float:   float64 each
//   uint32   CRC-32 of every byte before it
//
// Packed blocks (block-packing.ts): per 128 integers, a header byte (bits 0-5 the width, or k
// for Rice; bit 6 frame of reference; bit 7 Rice), the frame as a zigzag varint when there is
// one, then the integers LSB first, padded to a byte: at `width` bits each, or as Rice codes
// (v >> k zero bits, a one bit, the k low bits of v). The integers are zigzagged, or less the
// frame when there is one.
//
// A chunk of quarter-hours in 2019 spends about 16 bytes on its header (version, kinds,
// count, first time, step, exponent, first value) and checksum: chunks of a few hundred
// readings keep that under 0.06 B a reading. The checksum comes first when decoding: damaged
// bytes are refused before any length in them is believed, and every length is checked
// anyway, so bytes that pass a checksum by chance still cannot make the decoder read out of
// bounds or allocate without limit.

import { ChunkReader } from "./chunk-reader.js";
import { ChunkWriter } from "./chunk-writer.js";
import { readMissing, writeMissing } from "./chunk-missing.js";
import { readTimes, writeTimes } from "./chunk-times.js";
import { noValues, readValues, writeValues } from "./chunk-values.js";
import { CorruptChunkError } from "./corrupt-chunk-error.js";
import { crc32 } from "./crc32.js";

/** Readings of one chunk, oldest first. */
export interface ChunkColumns {
  /** Epoch milliseconds: safe integers (negative allowed), strictly increasing. */
  times: Float64Array;
  /** The values; NaN where a reading has no value (a missing reading). */
  values: Float64Array;
}

export const chunkFormatVersion = 2;
/** Chunks of the first format, which stores may hold, still read. */
const oldestReadableVersion = 1;
/** 16.7 million readings: a bound the decoder can hold a damaged count to before allocating. */
export const maxChunkCount = 2 ** 24;
const checksumBytes = 4;

const out = new ChunkWriter();
let present = new Float64Array(1024);
let missing = new Int32Array(1024);

/** Encodes `count` readings (default times.length). Throws RangeError for times that are not strictly increasing safe integers. */
export function encodeChunk(times: ArrayLike<number>, values: ArrayLike<number>, count: number = times.length): Uint8Array {
  if (!Number.isSafeInteger(count) || count < 0 || count > times.length || count > values.length || count > maxChunkCount) {
    throw new RangeError(`a chunk holds 0 to ${maxChunkCount} readings, at most as many as its times (${times.length}) and values (${values.length}), not ${count}`);
  }
  for (let i = 0; i < count; i++) {
    const time = times[i];
    if (!Number.isSafeInteger(time)) throw new RangeError(`time ${i} of the chunk (${time}) is not a whole number of milliseconds within ±2^53`);
    if (i > 0 && !(time > times[i - 1])) throw new RangeError(`time ${i} of the chunk (${time}) is not after the one before it (${times[i - 1]})`);
  }
  if (present.length < count) {
    present = new Float64Array(count * 2);
    missing = new Int32Array(count * 2);
  }
  let presentCount = 0;
  let missingCount = 0;
  for (let i = 0; i < count; i++) {
    const value = values[i];
    if (value === value) present[presentCount++] = value;
    else missing[missingCount++] = i;
  }

  out.pos = 0;
  out.byte(chunkFormatVersion);
  out.byte(0);
  out.varint(count);
  let kinds = count > 0 ? writeTimes(out, times, count) : 0;
  kinds |= writeMissing(out, missing, missingCount, count) << 2;
  if (presentCount > 0) kinds |= writeValues(out, present, presentCount) << 4;
  out.bytes[1] = kinds;
  out.uint32(crc32(out.bytes, 0, out.pos));
  return out.written();
}

/** How a chunk was encoded: for tests, and for telling why a chunk is the size it is. */
export interface ChunkEncoding {
  count: number;
  times: "regular" | "deltas" | "raw";
  missing: "none" | "positions" | "bitmap" | "all";
  values: "none" | "decimal" | "float";
  /** For decimal values, the e of their integers over 10^e. */
  exponent?: number;
}

/** Decodes a chunk; throws CorruptChunkError for bytes that are not a whole, undamaged chunk. */
export function decodeChunk(bytes: Uint8Array): ChunkColumns {
  const { times, values } = readChunk(bytes, undefined, 0);
  return { times, values };
}

/**
 * Decodes a chunk into `columns` from index `at` and answers its count, so that a range of
 * many chunks decodes into one pair of arrays without a copy. Throws RangeError where the
 * columns have no room for the chunk (before writing to them) and CorruptChunkError as
 * decodeChunk does, after which what it wrote to the columns means nothing.
 */
export function decodeChunkInto(bytes: Uint8Array, columns: ChunkColumns, at = 0): number {
  return readChunk(bytes, columns, at).count;
}

/** Decodes a chunk to tell how it was encoded; throws CorruptChunkError as decodeChunk does. */
export function chunkEncoding(bytes: Uint8Array): ChunkEncoding {
  const { count, kinds, exponent } = readChunk(bytes, undefined, 0);
  const encoding: ChunkEncoding = {
    count,
    times: (["regular", "deltas", "raw", "regular"] as const)[kinds & 3],
    missing: (["none", "positions", "bitmap", "all"] as const)[(kinds >>> 2) & 3],
    values: (["none", "decimal", "float"] as const)[(kinds >>> 4) & 3],
  };
  return exponent >= 0 ? { ...encoding, exponent } : encoding;
}

function readChunk(bytes: Uint8Array, into: ChunkColumns | undefined, at: number): ChunkColumns & { count: number; kinds: number; exponent: number } {
  const end = bytes.length - checksumBytes;
  const stored = end >= 3 ? (bytes[end] | (bytes[end + 1] << 8) | (bytes[end + 2] << 16) | (bytes[end + 3] << 24)) >>> 0 : -1;
  if (stored !== crc32(bytes, 0, Math.max(0, end))) {
    throw new CorruptChunkError(end < 3 ? `${bytes.length} bytes are too few for a chunk` : `the chunk's ${bytes.length} bytes do not match their checksum: they are damaged or cut short`);
  }
  const input = new ChunkReader(bytes, 0, end);
  const { version, count, kinds } = readHeader(input);
  const times = into?.times ?? new Float64Array(count);
  const values = into?.values ?? new Float64Array(count);
  if (!Number.isSafeInteger(at) || at < 0 || at + count > times.length || at + count > values.length) {
    throw new RangeError(`a chunk of ${count} readings does not fit columns of ${times.length} times and ${values.length} values from index ${at}`);
  }
  if (count > 0) readTimes(input, kinds, times, at, count, version);
  else if (kinds !== 0) throw new CorruptChunkError(`the chunk of no readings has the kinds byte ${kinds}`);
  if (missing.length < count) missing = new Int32Array(count);
  const missingCount = readMissing(input, (kinds >>> 2) & 3, count, missing);
  const valuesKind = (kinds >>> 4) & 3;
  const presentCount = count - missingCount;
  if ((valuesKind === noValues) !== (presentCount === 0)) throw new CorruptChunkError(`the chunk has values of kind ${valuesKind} for ${presentCount} present readings`);
  const exponent = presentCount > 0 ? readValues(input, valuesKind, values, at, presentCount) : -1;
  if (input.pos !== end) throw new CorruptChunkError(`the chunk has ${end - input.pos} bytes after its values`);
  // The present values were read to the front; moving them to their places from the back never
  // overwrites one not yet moved.
  for (let j = missingCount - 1, to = at + count - 1, from = at + presentCount - 1; j >= 0; j--) {
    const gap = at + missing[j];
    for (; to > gap; to--) values[to] = values[from--];
    values[to--] = NaN;
  }
  return { times, values, count, kinds, exponent };
}

/** How many readings a chunk holds, read from its header without decoding it. */
export function chunkCount(bytes: Uint8Array): number {
  return readHeader(new ChunkReader(bytes, 0, Math.max(0, bytes.length - checksumBytes))).count;
}

function readHeader(input: ChunkReader): { version: number; count: number; kinds: number } {
  const version = input.byte("header");
  if (version < oldestReadableVersion || version > chunkFormatVersion) {
    throw new CorruptChunkError(`the chunk's format version is ${version}, where this service reads ${oldestReadableVersion} to ${chunkFormatVersion}`);
  }
  const kinds = input.byte("header");
  if (((kinds >>> 4) & 3) === 3) throw new CorruptChunkError(`the chunk's kinds byte ${kinds} names no known encoding`);
  const count = input.varint("count");
  if (count > maxChunkCount) throw new CorruptChunkError(`the chunk says it holds ${count} readings, more than the ${maxChunkCount} a chunk can`);
  return { version, count, kinds };
}

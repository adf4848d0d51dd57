import type { ChunkReader } from "./chunk-reader.js";
import { varintSize, type ChunkWriter } from "./chunk-writer.js";
import { CorruptChunkError } from "./corrupt-chunk-error.js";
import { zigzag, unzigzag } from "./zigzag.js";

// Integers (deltas of times or of decimal-scaled values) packed at a bit width of their own per
// block of 128. Meter deltas are noise of a steady size, so a fixed width per block comes within
// a bit of their entropy while unpacking stays a shift and a mask a value; the width adapts to a
// chunk's quiet night and busy day block by block, and one byte of header per 128 values is
// under 0.01 B a reading.
//
// Block: one header byte (bits 0-5 the width, 0..53; bit 6 set when a frame of reference
// follows), then for a frame of reference the block's smallest integer as a zigzag varint, then
// the block's integers, LSB first, `width` bits each (minus the frame when there is one, else
// zigzagged), padded to a whole byte.
//
// Zigzag suits deltas that swing both ways around zero; a frame of reference suits those that
// all lie to one side, like a cumulative register's increments or the gaps between times, where
// zigzag would spend a bit a value on a sign that never changes. The encoder takes the smaller.

export const blockLength = 128;
const maxWidth = 53;
const frameFlag = 64;
/** Widths above this take the slow path: integers of 25 to 53 bits are read in pieces. */
const fastWidth = 24;

/** Integers of `ints[start, end)` must be safe integers with |value| < 2^52. */
export function packBlocks(out: ChunkWriter, ints: Float64Array, start: number, end: number): void {
  for (let blockStart = start; blockStart < end; blockStart += blockLength) {
    const blockEnd = Math.min(end, blockStart + blockLength);
    const header = chooseBlock(ints, blockStart, blockEnd);
    const width = header & 63;
    const base = header & frameFlag ? chosenMin : undefined;
    out.byte(header);
    if (base !== undefined) out.varint(zigzag(base));
    out.reserve(byteLength(width, blockEnd - blockStart));
    if (width === 0) continue;
    if (width <= fastWidth) packFast(out, ints, blockStart, blockEnd, width, base);
    else packSlow(out, ints, blockStart, blockEnd, width, base);
  }
}

/** The bytes packBlocks would write. */
export function packedSize(ints: Float64Array, start: number, end: number): number {
  let size = 0;
  for (let blockStart = start; blockStart < end; blockStart += blockLength) {
    const blockEnd = Math.min(end, blockStart + blockLength);
    const header = chooseBlock(ints, blockStart, blockEnd);
    size += 1 + (header & frameFlag ? varintSize(zigzag(chosenMin)) : 0) + byteLength(header & 63, blockEnd - blockStart);
  }
  return size;
}

/** The smallest integer of the block chooseBlock last looked at: its frame of reference. */
let chosenMin = 0;

/** The header byte of the smaller packing of a block: zigzag or against its minimum. */
function chooseBlock(ints: Float64Array, start: number, end: number): number {
  let min = ints[start];
  let max = min;
  for (let i = start + 1; i < end; i++) {
    const value = ints[i];
    if (value < min) min = value;
    else if (value > max) max = value;
  }
  chosenMin = min;
  const length = end - start;
  const zigzagWidth = bitWidth(Math.max(zigzag(min), zigzag(max)));
  const frameWidth = bitWidth(max - min);
  return varintSize(zigzag(min)) + byteLength(frameWidth, length) < byteLength(zigzagWidth, length) ? frameWidth | frameFlag : zigzagWidth;
}

/** Reads what packBlocks wrote into `out[start, end)`. */
export function unpackBlocks(input: ChunkReader, out: Float64Array, start: number, end: number, what: string): void {
  for (let blockStart = start; blockStart < end; blockStart += blockLength) {
    const blockEnd = Math.min(end, blockStart + blockLength);
    const header = input.byte(what);
    const width = header & 63;
    if (width > maxWidth || header & 128) throw new CorruptChunkError(`the chunk's ${what} has a block of ${width}-bit integers (header byte ${header})`);
    const base = header & frameFlag ? unzigzag(input.varint(what)) : undefined;
    const bytes = byteLength(width, blockEnd - blockStart);
    input.need(bytes, what);
    if (width === 0) out.fill(base ?? 0, blockStart, blockEnd);
    else if (width <= fastWidth) unpackFast(input.bytes, input.pos, out, blockStart, blockEnd, width, base);
    else unpackSlow(input.bytes, input.pos, out, blockStart, blockEnd, width, base);
    input.pos += bytes;
  }
}

function packFast(out: ChunkWriter, ints: Float64Array, start: number, end: number, width: number, base: number | undefined): void {
  const bytes = out.bytes;
  let pos = out.pos;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < end; i++) {
    const value = ints[i];
    const folded = base === undefined ? (value >= 0 ? value * 2 : -value * 2 - 1) : value - base;
    acc |= folded << bits;
    bits += width;
    while (bits >= 8) {
      bytes[pos++] = acc;
      acc >>>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) bytes[pos++] = acc;
  out.pos = pos;
}

function unpackFast(bytes: Uint8Array, pos: number, out: Float64Array, start: number, end: number, width: number, base: number | undefined): void {
  const mask = (1 << width) - 1;
  let acc = 0;
  let bits = 0;
  if (base === undefined) {
    for (let i = start; i < end; i++) {
      while (bits < width) {
        acc |= bytes[pos++] << bits;
        bits += 8;
      }
      const folded = acc & mask;
      acc >>>= width;
      bits -= width;
      out[i] = (folded >>> 1) ^ -(folded & 1);
    }
  } else {
    for (let i = start; i < end; i++) {
      while (bits < width) {
        acc |= bytes[pos++] << bits;
        bits += 8;
      }
      out[i] = base + (acc & mask);
      acc >>>= width;
      bits -= width;
    }
  }
}

// Integers wider than 24 bits (huge values, far-apart times) go bit by bit: rare, and exact.

function packSlow(out: ChunkWriter, ints: Float64Array, start: number, end: number, width: number, base: number | undefined): void {
  const bytes = out.bytes;
  const first = out.pos;
  const length = byteLength(width, end - start);
  bytes.fill(0, first, first + length);
  let bit = 0;
  for (let i = start; i < end; i++) {
    let folded = base === undefined ? zigzag(ints[i]) : ints[i] - base;
    for (let b = 0; b < width; b++, bit++) {
      if (folded % 2 === 1) bytes[first + (bit >>> 3)] |= 1 << (bit & 7);
      folded = Math.floor(folded / 2);
    }
  }
  out.pos = first + length;
}

function unpackSlow(bytes: Uint8Array, first: number, out: Float64Array, start: number, end: number, width: number, base: number | undefined): void {
  let bit = 0;
  for (let i = start; i < end; i++) {
    let folded = 0;
    let scale = 1;
    for (let b = 0; b < width; b++, bit++, scale *= 2) {
      if ((bytes[first + (bit >>> 3)] >>> (bit & 7)) & 1) folded += scale;
    }
    out[i] = base === undefined ? unzigzag(folded) : base + folded;
  }
}

/** Bits needed for an integer 0 <= value < 2^53. */
export function bitWidth(value: number): number {
  return value < 2 ** 32 ? 32 - Math.clz32(value) : 64 - Math.clz32(Math.floor(value / 2 ** 32));
}

function byteLength(width: number, count: number): number {
  return Math.ceil((width * count) / 8);
}

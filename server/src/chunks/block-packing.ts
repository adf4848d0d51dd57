import type { ChunkReader } from "./chunk-reader.js";
import { varintSize, type ChunkWriter } from "./chunk-writer.js";
import { CorruptChunkError } from "./corrupt-chunk-error.js";
import { zigzag, unzigzag } from "./zigzag.js";

// Integers (deltas of times or of decimal-scaled values) packed per block of 128, each block in
// the smaller of two codes, so the code adapts to a chunk's quiet night and busy day block by
// block for a byte of header:
//
// - Fixed width: every integer at the block's bit width. Unpacking is a shift and a mask.
// - Rice (Golomb with a power of two): an integer v as v >> k in unary, then its k low bits.
//   Noise deltas are densest near zero (the difference of two noisy readings spreads as a
//   triangle, a spiky load's as a Laplace curve), so giving the common small ones shorter codes
//   beats a fixed width by about half a bit on the bench fleet's values (12.5 against 13 bits)
//   with no table to store; and an outlier costs it less than a fixed width, which pays the
//   outlier's width on every integer of the block.
//
// The integers are either zigzagged (deltas that swing both ways around zero) or taken against
// the block's smallest (a frame of reference, for deltas all to one side, like a cumulative
// register's increments or the gaps between times, where zigzag would spend a bit a value on a
// sign that never changes): the smaller again.
//
// Block: one header byte (bits 0-5 the width, 0..53, or for Rice k, 0..23; bit 6 set when a
// frame of reference follows; bit 7 set for Rice), then a frame of reference's smallest
// integer as a zigzag varint, then the integers LSB first, padded to a whole byte.

export const blockLength = 128;
const maxWidth = 53;
const frameFlag = 64;
const riceFlag = 128;
/** Widths above this are read in pieces: integers of 25 to 53 bits. */
const fastWidth = 24;
const piece = 2 ** 24;
/** Rice quotients stay under 2^6: a damaged block cannot make the decoder count zeros for long. */
const quotientBits = 6;
/** Rice only for integers under 2^24, so a code's remainder and the bits before it fit 32-bit operators. */
const riceWidth = 24;

/** Integers of `ints[start, end)` must be safe integers with |value| < 2^52. */
export function packBlocks(out: ChunkWriter, ints: Float64Array, start: number, end: number): void {
  for (let blockStart = start; blockStart < end; blockStart += blockLength) {
    const blockEnd = Math.min(end, blockStart + blockLength);
    const header = chooseBlock(ints, blockStart, blockEnd);
    const base = header & frameFlag ? chosenMin : undefined;
    out.byte(header);
    if (base !== undefined) out.varint(zigzag(base));
    out.reserve(chosenBytes);
    if (header !== 0 && header !== frameFlag) packCodes(out, ints, blockStart, blockEnd, header & 63, base, (header & riceFlag) !== 0);
  }
}

/** The bytes packBlocks would write. */
export function packedSize(ints: Float64Array, start: number, end: number): number {
  let size = 0;
  for (let blockStart = start; blockStart < end; blockStart += blockLength) {
    const header = chooseBlock(ints, blockStart, Math.min(end, blockStart + blockLength));
    size += 1 + (header & frameFlag ? varintSize(zigzag(chosenMin)) : 0) + chosenBytes;
  }
  return size;
}

/** Of the block chooseBlock last looked at: its smallest integer (the frame of reference), and the bytes of its integers. */
let chosenMin = 0;
let chosenBytes = 0;
/** Bits of a block's Rice codes at k = width - 1 - j, for j in 0..quotientBits-1. */
const riceBits = new Float64Array(quotientBits);

/** The header byte of the smallest code for a block. */
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
  const frameCost = varintSize(zigzag(min));
  const useFrame = frameCost + byteLength(frameWidth, length) < byteLength(zigzagWidth, length);
  const width = useFrame ? frameWidth : zigzagWidth;
  chosenBytes = byteLength(width, length);
  if (width === 0 || width > riceWidth) return useFrame ? width | frameFlag : width;
  // A Rice code at k costs (v >> k) + 1 + k bits; k below width - quotientBits is not allowed.
  riceBits.fill(0);
  const lowestK = Math.max(0, width - quotientBits);
  for (let i = start; i < end; i++) {
    const value = ints[i];
    const folded = useFrame ? value - min : value >= 0 ? value * 2 : -value * 2 - 1;
    for (let k = width - 1, j = 0; k >= lowestK; k--, j++) riceBits[j] += folded >>> k;
  }
  let bestK = -1;
  for (let k = width - 1, j = 0; k >= lowestK; k--, j++) {
    const bytes = Math.ceil((riceBits[j] + length * (1 + k)) / 8);
    if (bytes < chosenBytes) {
      chosenBytes = bytes;
      bestK = k;
    }
  }
  const frame = useFrame ? frameFlag : 0;
  return bestK < 0 ? width | frame : bestK | frame | riceFlag;
}

/** Reads what packBlocks wrote into `out[start, end)`. */
export function unpackBlocks(input: ChunkReader, out: Float64Array, start: number, end: number, what: string): void {
  for (let blockStart = start; blockStart < end; blockStart += blockLength) {
    const blockEnd = Math.min(end, blockStart + blockLength);
    const header = input.byte(what);
    const width = header & 63;
    const base = header & frameFlag ? unzigzag(input.varint(what)) : undefined;
    if (header & riceFlag) {
      if (width >= riceWidth) throw new CorruptChunkError(`the chunk's ${what} has a block of Rice codes with k = ${width}`);
      input.pos = unpackRice(input.bytes, input.pos, input.end, out, blockStart, blockEnd, width, base, what);
      continue;
    }
    if (width > maxWidth) throw new CorruptChunkError(`the chunk's ${what} has a block of ${width}-bit integers`);
    const bytes = byteLength(width, blockEnd - blockStart);
    input.need(bytes, what);
    if (width === 0) out.fill(base ?? 0, blockStart, blockEnd);
    else if (width <= fastWidth) unpackFast(input.bytes, input.pos, out, blockStart, blockEnd, width, base);
    else unpackSlow(input.bytes, input.pos, out, blockStart, blockEnd, width, base);
    input.pos += bytes;
  }
}

/**
 * Reads a Rice block from `pos` and answers where it ends. Its length is nowhere stated (that
 * would cost a byte or two a block), so a damaged block is caught by its quotients (each under
 * 2^6) and by where it ends (before `end`); a read past the array gives undefined, which the bit
 * operators take as 0.
 */
function unpackRice(bytes: Uint8Array, pos: number, end: number, out: Float64Array, start: number, stop: number, k: number, base: number | undefined, what: string): number {
  const mask = (1 << k) - 1;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < stop; i++) {
    let quotient = 0;
    while (acc === 0) {
      quotient += bits;
      if (quotient >= 1 << quotientBits) throw new CorruptChunkError(`the chunk's ${what} has a Rice code past its limit (byte ${pos})`);
      acc = bytes[pos++];
      bits = 8;
    }
    const zeros = 31 - Math.clz32(acc & -acc);
    quotient += zeros;
    if (quotient >= 1 << quotientBits) throw new CorruptChunkError(`the chunk's ${what} has a Rice code past its limit (byte ${pos})`);
    acc >>>= zeros + 1;
    bits -= zeros + 1;
    while (bits < k) {
      acc |= bytes[pos++] << bits;
      bits += 8;
    }
    const folded = (quotient << k) | (acc & mask);
    acc >>>= k;
    bits -= k;
    out[i] = base === undefined ? (folded >>> 1) ^ -(folded & 1) : base + folded;
  }
  if (pos > end) throw new CorruptChunkError(`the chunk ends inside its ${what} (byte ${pos} of ${end})`);
  return pos;
}

/**
 * Fixed-width codes, or Rice codes with k (`width`) up to 23. Integers wider than 24 bits
 * (huge values, far-apart times) go in pieces of 24 bits, low piece first: the same bits as
 * one field, each piece small enough for the 32-bit operators.
 */
function packCodes(out: ChunkWriter, ints: Float64Array, start: number, end: number, width: number, base: number | undefined, rice: boolean): void {
  const bytes = out.bytes;
  const mask = (1 << width) - 1;
  let pos = out.pos;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < end; i++) {
    let folded = base === undefined ? zigzag(ints[i]) : ints[i] - base;
    let length = width;
    if (rice) {
      // The quotient's zeros first, so that acc holds under 8 bits before the code goes in and
      // no shift passes bit 31.
      bits += folded >>> width;
      while (bits >= 8) {
        bytes[pos++] = acc;
        acc >>>= 8;
        bits -= 8;
      }
      folded = 1 | ((folded & mask) << 1);
      length = width + 1;
    }
    for (; length > 24; length -= 24) {
      const low = folded % piece;
      folded = (folded - low) / piece;
      acc |= low << bits;
      bits += 24;
      while (bits >= 8) {
        bytes[pos++] = acc;
        acc >>>= 8;
        bits -= 8;
      }
    }
    acc |= folded << bits;
    bits += length;
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

/** Integers wider than 24 bits, read in pieces of 24 bits joined by arithmetic, since they pass 2^32. */
function unpackSlow(bytes: Uint8Array, pos: number, out: Float64Array, start: number, end: number, width: number, base: number | undefined): void {
  let acc = 0;
  let bits = 0;
  for (let i = start; i < end; i++) {
    let folded = 0;
    let scale = 1;
    for (let remaining = width; remaining > 0; remaining -= 24, scale *= piece) {
      const pieceWidth = remaining < 24 ? remaining : 24;
      while (bits < pieceWidth) {
        acc |= bytes[pos++] << bits;
        bits += 8;
      }
      folded += (acc & ((1 << pieceWidth) - 1)) * scale;
      acc >>>= pieceWidth;
      bits -= pieceWidth;
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

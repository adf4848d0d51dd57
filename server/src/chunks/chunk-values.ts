import { packBlocks, unpackBlocks } from "./block-packing.js";
import type { ChunkReader } from "./chunk-reader.js";
import type { ChunkWriter } from "./chunk-writer.js";
import { CorruptChunkError } from "./corrupt-chunk-error.js";
import { decimalExponent, maxExponent, powersOfTen } from "./decimal-scale.js";
import { unzigzag, zigzag } from "./zigzag.js";

// A chunk's values (the ones present), in the cheaper exact form:
//
// DECIMAL: the exponent e, the first value times 10^e as a zigzag varint, then the deltas of the
//   scaled integers bit-packed per block. A meter's consecutive readings are close, so the
//   deltas need far fewer bits than the values, and constant runs pack to nothing.
// FLOAT: float64 each, for values no exponent up to 15 makes exact (binary fractions,
//   subnormals, infinities, 1e308). Raw float64 rather than XOR: such values share few bits
//   with their neighbours, and they are rare in meter data.

/** The form of a chunk's values: 2 bits of its kinds byte. */
export const noValues = 0;
export const decimalValues = 1;
export const floatValues = 2;

let scaled = new Float64Array(1024);

/** Writes `present[0, count)` (no NaN among them; count >= 1). */
export function writeValues(out: ChunkWriter, present: Float64Array, count: number): number {
  const exponent = decimalExponent(present, count);
  if (exponent < 0) {
    for (let i = 0; i < count; i++) out.float64(present[i]);
    return floatValues;
  }
  if (scaled.length < count) scaled = new Float64Array(count * 2);
  const scale = powersOfTen[exponent];
  let previous = Math.round(present[0] * scale);
  for (let i = 1; i < count; i++) {
    const current = Math.round(present[i] * scale);
    scaled[i] = current - previous;
    previous = current;
  }
  out.byte(exponent);
  out.varint(zigzag(Math.round(present[0] * scale)));
  packBlocks(out, scaled, 1, count);
  return decimalValues;
}

/** Reads what writeValues wrote into `values[at, at + count)`; answers the decimal exponent, or -1 for floats. */
export function readValues(input: ChunkReader, kind: number, values: Float64Array, at: number, count: number): number {
  const end = at + count;
  if (kind === floatValues) {
    for (let i = at; i < end; i++) values[i] = input.float64("values");
    return -1;
  }
  const exponent = input.byte("values");
  if (exponent > maxExponent) throw new CorruptChunkError(`the chunk's values have the decimal exponent ${exponent}`);
  const scale = powersOfTen[exponent];
  let current = unzigzag(input.varint("values"));
  values[at] = current / scale;
  unpackBlocks(input, values, at + 1, end, "values");
  for (let i = at + 1; i < end; i++) {
    current += values[i];
    values[i] = current / scale;
  }
  return exponent;
}

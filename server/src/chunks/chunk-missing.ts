import type { ChunkReader } from "./chunk-reader.js";
import { varintSize, type ChunkWriter } from "./chunk-writer.js";
import { CorruptChunkError } from "./corrupt-chunk-error.js";

// Which readings have no value. Most chunks have none and spend nothing here; a meter misses
// one reading in hundreds or thousands, so a few positions (a varint gap each) are usually
// cheaper than a bitmap, which wins once more than about one in eight is missing.

/** The form of a chunk's missing readings: 2 bits of its kinds byte. */
export const noneMissing = 0;
export const missingPositions = 1;
export const missingBitmap = 2;
export const allMissing = 3;

/** Writes the `missingCount` positions in `missing` (increasing) among `count` readings. */
export function writeMissing(out: ChunkWriter, missing: Int32Array, missingCount: number, count: number): number {
  if (missingCount === 0) return noneMissing;
  if (missingCount === count) return allMissing;
  let positionsSize = varintSize(missingCount);
  for (let j = 0, previous = -1; j < missingCount; previous = missing[j++]) positionsSize += varintSize(missing[j] - previous - 1);
  const bitmapSize = (count + 7) >>> 3;
  if (positionsSize <= bitmapSize) {
    out.varint(missingCount);
    for (let j = 0, previous = -1; j < missingCount; previous = missing[j++]) out.varint(missing[j] - previous - 1);
    return missingPositions;
  }
  out.reserve(bitmapSize);
  const bytes = out.bytes;
  bytes.fill(0, out.pos, out.pos + bitmapSize);
  for (let j = 0; j < missingCount; j++) bytes[out.pos + (missing[j] >>> 3)] |= 1 << (missing[j] & 7);
  out.pos += bitmapSize;
  return missingBitmap;
}

/** Reads the positions writeMissing wrote into `missing` (room for `count`) and answers how many there are. */
export function readMissing(input: ChunkReader, kind: number, count: number, missing: Int32Array): number {
  if (kind === noneMissing) return 0;
  if (kind === allMissing) {
    if (count === 0) throw new CorruptChunkError("the chunk says all of its 0 readings are missing");
    return count;
  }
  let missingCount = 0;
  if (kind === missingPositions) {
    missingCount = input.varint("missing readings");
    if (missingCount < 1 || missingCount >= count) throw new CorruptChunkError(`the chunk lists ${missingCount} missing readings among ${count}`);
    for (let j = 0, position = -1; j < missingCount; j++) {
      position += input.varint("missing readings") + 1;
      if (position >= count) throw new CorruptChunkError(`the chunk's missing reading ${position} is past its ${count} readings`);
      missing[j] = position;
    }
  } else {
    const bitmapSize = (count + 7) >>> 3;
    input.need(bitmapSize, "missing readings");
    const bytes = input.bytes;
    for (let position = 0; position < bitmapSize * 8; position++) {
      if (!((bytes[input.pos + (position >>> 3)] >>> (position & 7)) & 1)) continue;
      if (position >= count) throw new CorruptChunkError(`the chunk's missing reading ${position} is past its ${count} readings`);
      missing[missingCount++] = position;
    }
    input.pos += bitmapSize;
    if (missingCount < 1 || missingCount >= count) throw new CorruptChunkError(`the chunk's bitmap marks ${missingCount} missing readings among ${count}`);
  }
  return missingCount;
}

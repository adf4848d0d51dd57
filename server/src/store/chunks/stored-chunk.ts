import { decodeChunk, type ChunkColumns } from "../../chunks/chunk-codec.js";
import { CorruptChunkError } from "../../chunks/corrupt-chunk-error.js";
import { DamagedChunkError } from "./damaged-chunk-error.js";

/** A chunk's columns, or an error naming the meter and the chunk when its bytes are damaged. */
export function decodeStoredChunk(bytes: Uint8Array, meter: string, start: number, key: number): ChunkColumns {
  try {
    return decodeChunk(bytes);
  } catch (error) {
    if (error instanceof CorruptChunkError) throw new DamagedChunkError(meter, start, key, error);
    throw error;
  }
}

/** The index of the first time at or after `time` in sorted times; their length when there is none. */
export function firstAtOrAfter(times: ArrayLike<number>, time: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle] < time) low = middle + 1;
    else high = middle;
  }
  return low;
}

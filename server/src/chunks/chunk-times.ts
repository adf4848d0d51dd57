import { packBlocks, packedSize, unpackBlocks } from "./block-packing.js";
import type { ChunkReader } from "./chunk-reader.js";
import { varintSize, type ChunkWriter } from "./chunk-writer.js";
import { CorruptChunkError } from "./corrupt-chunk-error.js";
import { unzigzag, zigzag } from "./zigzag.js";

// A chunk's times after the first (which the header holds), in the cheapest of three forms:
//
// REGULAR: the step, then the few deltas that differ from it as (index gap, zigzag difference)
//   pairs. Meters read at a fixed interval, so a whole chunk is usually one varint, and a meter
//   that was offline for a while costs a pair per gap instead of a time per reading.
// DELTAS: the deltas bit-packed per block. Irregular times (events, jittered clocks) cost a
//   few bits a reading at the spread of their deltas, where delta-of-delta would double it.
// RAW: float64 times. Only for deltas of 2^52 ms and more (times 140,000 years apart), which the
//   other forms cannot hold exactly.

/** The form of a chunk's times: 2 bits of its kinds byte. */
export const regularTimes = 0;
export const deltaTimes = 1;
export const rawTimes = 2;

/** Deltas at or past this go raw: under it, a delta and its difference to any step are exact and zigzag stays below 2^53. */
const maxDelta = 2 ** 52;

let deltas = new Float64Array(1024);

/** Chooses the form for `times[0, count)` (strictly increasing safe integers, count >= 2) and writes it. */
export function writeTimes(out: ChunkWriter, times: ArrayLike<number>, count: number): number {
  if (deltas.length < count) deltas = new Float64Array(count * 2);
  let largest = 0;
  // A delta that holds a majority of the chunk is found in one pass (Boyer-Moore majority vote).
  let step = 0;
  let votes = 0;
  for (let i = 1; i < count; i++) {
    const delta = times[i] - times[i - 1];
    deltas[i] = delta;
    if (delta > largest) largest = delta;
    if (votes === 0) {
      step = delta;
      votes = 1;
    } else votes += delta === step ? 1 : -1;
  }
  if (largest >= maxDelta) {
    for (let i = 1; i < count; i++) out.float64(times[i]);
    return rawTimes;
  }
  let exceptions = 0;
  let regularSize = varintSize(step);
  for (let i = 1, previous = 0; i < count; i++) {
    if (deltas[i] === step) continue;
    exceptions++;
    regularSize += varintSize(i - previous - 1) + varintSize(zigzag(deltas[i] - step));
    previous = i;
  }
  regularSize += varintSize(exceptions);
  if (exceptions > 0 && packedSize(deltas, 1, count) < regularSize) {
    packBlocks(out, deltas, 1, count);
    return deltaTimes;
  }
  out.varint(step);
  out.varint(exceptions);
  for (let i = 1, previous = 0; i < count; i++) {
    if (deltas[i] === step) continue;
    out.varint(i - previous - 1);
    out.varint(zigzag(deltas[i] - step));
    previous = i;
  }
  return regularTimes;
}

/** Fills `times[1, count)` (times[0] is set) from what writeTimes wrote, checking that they increase and stay safe integers. */
export function readTimes(input: ChunkReader, kind: number, times: Float64Array, count: number): void {
  if (kind === rawTimes) {
    for (let i = 1; i < count; i++) {
      const time = input.float64("times");
      if (!Number.isSafeInteger(time) || !(time > times[i - 1])) throw new CorruptChunkError(`the chunk's time ${i} (${time}) is not a millisecond after the one before`);
      times[i] = time;
    }
    return;
  }
  if (kind === deltaTimes) unpackBlocks(input, times, 1, count, "times");
  else {
    const step = input.varint("time step");
    const exceptions = input.varint("count of irregular times");
    if (step < 1 || step >= maxDelta) throw new CorruptChunkError(`the chunk's time step ${step} is out of range`);
    if (exceptions >= count) throw new CorruptChunkError(`the chunk has ${exceptions} irregular times among ${count} readings`);
    times.fill(step, 1, count);
    for (let e = 0, index = 0; e < exceptions; e++) {
      index += input.varint("irregular times") + 1;
      if (index >= count) throw new CorruptChunkError(`the chunk's irregular time ${index} is past its ${count} readings`);
      times[index] = step + unzigzag(input.varint("irregular times"));
    }
  }
  // The sums are exact while they stay safe integers, and they only grow, so checking the last is enough.
  let time = times[0];
  for (let i = 1; i < count; i++) {
    const delta = times[i];
    if (!(delta >= 1)) throw new CorruptChunkError(`the chunk's time ${i} is not after the one before`);
    time += delta;
    times[i] = time;
  }
  if (time > Number.MAX_SAFE_INTEGER) throw new CorruptChunkError("the chunk's times run past the largest safe integer");
}

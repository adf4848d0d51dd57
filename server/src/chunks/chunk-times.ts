import { packBlocks, packedSize, unpackBlocks } from "./block-packing.js";
import type { ChunkReader } from "./chunk-reader.js";
import { varintSize, type ChunkWriter } from "./chunk-writer.js";
import { CorruptChunkError } from "./corrupt-chunk-error.js";
import { unzigzag, zigzag } from "./zigzag.js";

// A chunk's times: the first as a varint of its magnitude (a sign bit in the kinds byte, since
// zigzag of an odd time below -2^52 would not be a safe integer), then the rest in the cheapest
// of three forms:
//
// REGULAR: the step, and when some deltas differ from it, their count and an (index gap, zigzag
//   difference) pair for each. Meters read at a fixed interval, so a whole chunk's times are
//   usually one varint, and a meter that was offline for a while costs a pair per gap instead
//   of a time per reading.
// DELTAS: the deltas bit-packed per block. Irregular times (events, jittered clocks) cost a
//   few bits a reading at the spread of their deltas, where delta-of-delta would double it.
// RAW: float64 times. Only for deltas of 2^52 ms and more (times 140,000 years apart), which the
//   other forms cannot hold exactly.
//
// Format version 1 had neither seconds nor the irregular kind: its regular times always carried
// a count of exceptions, none or more.
//
// Times in whole seconds, as most meters stamp them, are stored in seconds (a bit in the kinds
// byte says so): that saves a byte or two of the first time and the step, and ten bits of every
// irregular delta.

/** The bits of a chunk's kinds byte that its times own: the form in bits 0-1, and two flags. */
export const timesKindMask = 3;
export const regularTimes = 0;
export const deltaTimes = 1;
export const rawTimes = 2;
/** Regular with exceptions: a kind of its own, so a regular chunk spends no byte on a count of none. */
export const irregularStepTimes = 3;
const negativeFirstTime = 64;
const inSeconds = 128;

/** Deltas at or past this go raw: under it, a delta and its difference to any step are exact and zigzag stays below 2^53. */
const maxDelta = 2 ** 52;

let deltas = new Float64Array(1024);

/** Writes `times[0, count)` (strictly increasing safe integers, count >= 1) in the cheapest form, and answers the kinds bits for it. */
export function writeTimes(out: ChunkWriter, times: ArrayLike<number>, count: number): number {
  if (deltas.length < count) deltas = new Float64Array(count * 2);
  const first = times[0];
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
  const sign = first < 0 ? negativeFirstTime : 0;
  if (largest >= maxDelta) {
    out.varint(Math.abs(first));
    for (let i = 1; i < count; i++) out.float64(times[i]);
    return rawTimes | sign;
  }
  // Whole seconds: the deltas equal to the step are as whole as the step, so only the others need a look.
  let unit = first % 1000 === 0 && step % 1000 === 0 ? 1000 : 1;
  for (let i = 1; i < count && unit > 1; i++) if (deltas[i] !== step && deltas[i] % 1000 !== 0) unit = 1;
  if (unit > 1) {
    step /= unit;
    for (let i = 1; i < count; i++) deltas[i] /= unit;
  }
  out.varint(Math.abs(first) / unit);
  const flags = sign | (unit > 1 ? inSeconds : 0);
  if (count < 2) return regularTimes | flags;

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
    return deltaTimes | flags;
  }
  out.varint(step);
  if (exceptions === 0) return regularTimes | flags;
  out.varint(exceptions);
  for (let i = 1, previous = 0; i < count; i++) {
    if (deltas[i] === step) continue;
    out.varint(i - previous - 1);
    out.varint(zigzag(deltas[i] - step));
    previous = i;
  }
  return irregularStepTimes | flags;
}

/** Fills `times[at, at + count)` (count >= 1) from what writeTimes wrote, checking that they increase and stay safe integers. */
export function readTimes(input: ChunkReader, kinds: number, times: Float64Array, at: number, count: number, version: number): void {
  const kind = kinds & timesKindMask;
  const firstVersion = version === 1;
  if (firstVersion && (kind === irregularStepTimes || kinds & inSeconds)) throw new CorruptChunkError(`the chunk's kinds byte ${kinds} names no encoding of format version 1`);
  const unit = kinds & inSeconds ? 1000 : 1;
  const magnitude = input.varint("first time");
  if (kinds & negativeFirstTime && magnitude === 0) throw new CorruptChunkError("the chunk's first time is negative zero");
  const first = (kinds & negativeFirstTime ? -magnitude : magnitude) * unit;
  if (!Number.isSafeInteger(first)) throw new CorruptChunkError(`the chunk's first time ${first} is past the largest safe integer`);
  times[at] = first;
  const end = at + count;
  if (count < 2 && kind !== regularTimes) throw new CorruptChunkError(`the chunk has times of kind ${kind} for ${count} readings`);
  if (count < 2) return;
  if (kind === rawTimes) {
    if (unit > 1) throw new CorruptChunkError("the chunk has raw times in seconds");
    for (let i = at + 1; i < end; i++) {
      const time = input.float64("times");
      if (!Number.isSafeInteger(time) || !(time > times[i - 1])) throw new CorruptChunkError(`the chunk's time ${i - at} (${time}) is not a millisecond after the one before`);
      times[i] = time;
    }
    return;
  }
  if (kind === deltaTimes) unpackBlocks(input, times, at + 1, end, "times");
  else {
    const step = input.varint("time step");
    if (step < 1 || step >= maxDelta) throw new CorruptChunkError(`the chunk's time step ${step} is out of range`);
    times.fill(step, at + 1, end);
    const exceptions = kind === irregularStepTimes || firstVersion ? input.varint("count of irregular times") : 0;
    if (exceptions >= count || (kind === irregularStepTimes && exceptions < 1)) throw new CorruptChunkError(`the chunk has ${exceptions} irregular times among ${count} readings`);
    for (let e = 0, index = 0; e < exceptions; e++) {
      index += input.varint("irregular times") + 1;
      if (index >= count) throw new CorruptChunkError(`the chunk's irregular time ${index} is past its ${count} readings`);
      times[at + index] = step + unzigzag(input.varint("irregular times"));
    }
  }
  // The sums are exact while they stay safe integers, and they only grow, so checking the last is enough.
  let time = first / unit;
  for (let i = at + 1; i < end; i++) {
    const delta = times[i];
    if (!(delta >= 1)) throw new CorruptChunkError(`the chunk's time ${i - at} is not after the one before`);
    time += delta;
    times[i] = time * unit;
  }
  if (time * unit > Number.MAX_SAFE_INTEGER) throw new CorruptChunkError("the chunk's times run past the largest safe integer");
}

/**
 * What a stored chunk adds up to, kept beside its bytes so that summaries and usage read whole
 * chunks without decoding them. Times are epoch milliseconds; min and max are over the
 * readings with a value, null when none has one.
 */
export interface ChunkFigures {
  start: number;
  last: number;
  valueCount: number;
  missingCount: number;
  sum: number;
  min: number | null;
  max: number | null;
}

/** A chunk as an engine lists it: its figures and the engine's key for fetching its bytes. */
export interface ListedChunk extends ChunkFigures {
  key: number;
}

/** The figures of sorted columns, where NaN is a missing value. */
export function figuresOf(times: ArrayLike<number>, values: ArrayLike<number>, count = times.length): ChunkFigures {
  let valueCount = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const value = values[i];
    if (value !== value) continue;
    valueCount++;
    sum += value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return {
    start: times[0],
    last: times[count - 1],
    valueCount,
    missingCount: count - valueCount,
    sum,
    min: valueCount > 0 ? min : null,
    max: valueCount > 0 ? max : null,
  };
}

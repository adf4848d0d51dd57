import type { MeterReading } from "../readings/reading.js";

/**
 * Readings as columns of numbers, which a worker thread hands over without copying: an
 * array of objects would be serialized field by field on one thread and rebuilt on the other.
 * Meters travel as indexes into a short list of the batch's names.
 */
export interface ReadingColumns {
  lines: Float64Array;
  times: Float64Array;
  /** NaN for a missing value: a stored value is always finite, so NaN can mean nothing else. */
  values: Float64Array;
  meterIndexes: Uint32Array;
  meterNames: string[];
}

export function toColumns(readings: MeterReading[]): ReadingColumns {
  const columns: ReadingColumns = {
    lines: new Float64Array(readings.length),
    times: new Float64Array(readings.length),
    values: new Float64Array(readings.length),
    meterIndexes: new Uint32Array(readings.length),
    meterNames: [],
  };
  const indexOf = new Map<string, number>();
  for (let i = 0; i < readings.length; i++) {
    const { line, meter, time, value } = readings[i];
    let index = indexOf.get(meter);
    if (index === undefined) {
      index = columns.meterNames.push(meter) - 1;
      indexOf.set(meter, index);
    }
    columns.lines[i] = line;
    columns.times[i] = time;
    columns.values[i] = value ?? NaN;
    columns.meterIndexes[i] = index;
  }
  return columns;
}

export function fromColumns({ lines, times, values, meterIndexes, meterNames }: ReadingColumns): MeterReading[] {
  const readings: MeterReading[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const value = values[i];
    readings[i] = { line: lines[i], meter: meterNames[meterIndexes[i]], time: times[i], value: Number.isNaN(value) ? null : value };
  }
  return readings;
}

export function columnBuffers({ lines, times, values, meterIndexes }: ReadingColumns): ArrayBuffer[] {
  return [lines.buffer, times.buffer, values.buffer, meterIndexes.buffer] as ArrayBuffer[];
}

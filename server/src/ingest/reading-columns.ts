import type { NumberedReading } from "../readings/reading.js";

/**
 * Readings as three columns of numbers, which a worker thread hands over without copying:
 * an array of objects would be serialized field by field on one thread and rebuilt on the other.
 */
export interface ReadingColumns {
  lines: Float64Array;
  times: Float64Array;
  /** NaN for a missing value: a stored value is always finite, so NaN can mean nothing else. */
  values: Float64Array;
}

export function toColumns(readings: NumberedReading[]): ReadingColumns {
  const columns = {
    lines: new Float64Array(readings.length),
    times: new Float64Array(readings.length),
    values: new Float64Array(readings.length),
  };
  for (let i = 0; i < readings.length; i++) {
    const { line, time, value } = readings[i];
    columns.lines[i] = line;
    columns.times[i] = time;
    columns.values[i] = value ?? NaN;
  }
  return columns;
}

export function fromColumns({ lines, times, values }: ReadingColumns): NumberedReading[] {
  const readings: NumberedReading[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const value = values[i];
    readings[i] = { line: lines[i], time: times[i], value: Number.isNaN(value) ? null : value };
  }
  return readings;
}

export function columnBuffers({ lines, times, values }: ReadingColumns): ArrayBuffer[] {
  return [lines.buffer as ArrayBuffer, times.buffer as ArrayBuffer, values.buffer as ArrayBuffer];
}

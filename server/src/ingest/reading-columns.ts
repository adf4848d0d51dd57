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
  const columns = new ColumnsBuilder(readings.length);
  for (const { line, meter, time, value } of readings) columns.push(line, columns.meterIndex(meter), time, value ?? NaN);
  return columns.take();
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

/** Columns filled a reading at a time, up to a batch's size, then handed over whole. */
export class ColumnsBuilder {
  count = 0;
  private readonly lines: Float64Array;
  private readonly times: Float64Array;
  private readonly values: Float64Array;
  private readonly meterIndexes: Uint32Array;
  private readonly meterNames: string[] = [];
  private readonly indexOf = new Map<string, number>();

  constructor(readonly size: number) {
    this.lines = new Float64Array(size);
    this.times = new Float64Array(size);
    this.values = new Float64Array(size);
    this.meterIndexes = new Uint32Array(size);
  }

  /** The meter's index in this batch's names, given it one if it has none. */
  meterIndex(meter: string): number {
    let index = this.indexOf.get(meter);
    if (index === undefined) {
      index = this.meterNames.push(meter) - 1;
      this.indexOf.set(meter, index);
    }
    return index;
  }

  /** A reading; `value` NaN when it is missing. */
  push(line: number, meterIndex: number, time: number, value: number): void {
    const at = this.count++;
    this.lines[at] = line;
    this.times[at] = time;
    this.values[at] = value;
    this.meterIndexes[at] = meterIndex;
  }

  /** The columns so far; the builder is not used after this. */
  take(): ReadingColumns {
    const full = this.count === this.size;
    const cut = <T extends Float64Array | Uint32Array>(column: T): T => (full ? column : (column.slice(0, this.count) as T));
    return { lines: cut(this.lines), times: cut(this.times), values: cut(this.values), meterIndexes: cut(this.meterIndexes), meterNames: this.meterNames };
  }
}

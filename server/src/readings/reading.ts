/** A meter reading: epoch milliseconds, and the value or null when the meter reported none. */
export interface Reading {
  time: number;
  value: number | null;
}

/** A reading together with the line of the input it came from, so errors can point at it. */
export interface NumberedReading extends Reading {
  line: number;
}

/** A reading of a named meter, with its line, as a file with many meters holds it. */
export interface MeterReading extends NumberedReading {
  meter: string;
}

/** A half-open range [start, end) in epoch milliseconds; an absent bound is unbounded. */
export interface TimeRange {
  start?: number;
  end?: number;
}

export interface Summary {
  count: number;
  missingCount: number;
  firstTime?: number;
  lastTime?: number;
  min?: number;
  max?: number;
  mean?: number;
  sum: number;
}

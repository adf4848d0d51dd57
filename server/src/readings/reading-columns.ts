import type { Reading } from "./reading.js";

/**
 * Readings as two columns, oldest first: what a range read decodes chunks into, so that a
 * route can write them to the wire without making an object per reading.
 */
export interface ReadingColumns {
  /** Epoch milliseconds, strictly increasing. */
  times: Float64Array;
  /** The values, as long as the times; NaN for a reading without a value. */
  values: Float64Array;
}

/** The same readings as objects, `null` where a value is missing. */
export function readingsOf({ times, values }: ReadingColumns): Reading[] {
  const readings: Reading[] = new Array(times.length);
  for (let i = 0; i < times.length; i++) {
    const value = values[i];
    readings[i] = { time: times[i], value: value === value ? value : null };
  }
  return readings;
}

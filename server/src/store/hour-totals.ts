import type { Reading } from "../readings/reading.js";

export const hourMs = 3_600_000;

/** The start of the UTC hour holding a time; times before 1970 round down too. */
export function hourOf(time: number): number {
  return Math.floor(time / hourMs) * hourMs;
}

/** One meter's readings of one UTC hour, added up. */
export interface HourTotal {
  meter: number;
  hour: number;
  count: number;
  missingCount: number;
  sum: number;
  min: number | null;
  max: number | null;
}

/**
 * New readings added up per meter and UTC hour while a write runs, to be merged into the
 * stored hourly usage in the same transaction: adding up as rows go by costs far less than
 * reading them back afterwards.
 */
export class HourTotals {
  private readonly totals = new Map<number, Map<number, HourTotal>>();
  private entries = 0;

  add(meter: number, readings: Reading[]): void {
    let hours = this.totals.get(meter);
    if (hours === undefined) this.totals.set(meter, (hours = new Map()));
    for (const { time, value } of readings) {
      const hour = hourOf(time);
      let total = hours.get(hour);
      if (total === undefined) {
        total = { meter, hour, count: 0, missingCount: 0, sum: 0, min: null, max: null };
        hours.set(hour, total);
        this.entries++;
      }
      if (value === null) {
        total.missingCount++;
        continue;
      }
      total.count++;
      total.sum += value;
      if (total.min === null || value < total.min) total.min = value;
      if (total.max === null || value > total.max) total.max = value;
    }
  }

  /** How many meter-hours are held: a long import merges them before memory grows. */
  get size(): number {
    return this.entries;
  }

  /** Hands over every total held and starts again empty. */
  take(): HourTotal[] {
    const taken: HourTotal[] = [];
    for (const hours of this.totals.values()) for (const total of hours.values()) taken.push(total);
    this.totals.clear();
    this.entries = 0;
    return taken;
  }
}

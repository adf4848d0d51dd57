import type { Reading } from "../readings/reading.js";

export const hourMs = 3_600_000;
export const dayMs = 86_400_000;

/**
 * The tables that hold each meter's readings added up per UTC hour and per UTC day, kept
 * current by every write: a period reads its whole days and hours from them, so a month of a
 * thousand meters costs thousands of rows, not millions of readings.
 */
export interface UsageLevel {
  table: "usage_days" | "usage_hours";
  unit: "day" | "hour";
  width: number;
}

export const usageLevels: UsageLevel[] = [
  { table: "usage_days", unit: "day", width: dayMs },
  { table: "usage_hours", unit: "hour", width: hourMs },
];

/** The start of the level's span holding a time; times before 1970 round down too. */
export function spanStart(time: number, width: number): number {
  return Math.floor(time / width) * width;
}

/** One meter's readings of one hour or day, added up. */
export interface UsageTotal {
  meter: number;
  start: number;
  count: number;
  missingCount: number;
  sum: number;
  min: number | null;
  max: number | null;
}

/**
 * New readings added up per meter and UTC hour or day while a write runs, to be merged into
 * the stored totals in the same transaction: adding up as rows go by costs far less than
 * reading them back afterwards.
 */
export class UsageTotals {
  private readonly totals = new Map<number, Map<number, UsageTotal>>();
  private entries = 0;

  constructor(readonly level: UsageLevel) {}

  add(meter: number, readings: Reading[]): void {
    let spans = this.totals.get(meter);
    if (spans === undefined) this.totals.set(meter, (spans = new Map()));
    const width = this.level.width;
    let total: UsageTotal | undefined;
    for (const { time, value } of readings) {
      // Readings mostly come in time order, so most belong to the span of the one before.
      if (total === undefined || time < total.start || time >= total.start + width) {
        const start = spanStart(time, width);
        total = spans.get(start);
        if (total === undefined) {
          total = { meter, start, count: 0, missingCount: 0, sum: 0, min: null, max: null };
          spans.set(start, total);
          this.entries++;
        }
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

  /** How many meter-spans are held: a long import merges them before memory grows. */
  get size(): number {
    return this.entries;
  }

  /** Hands over every total held and starts again empty. */
  take(): UsageTotal[] {
    const taken: UsageTotal[] = [];
    for (const spans of this.totals.values()) for (const total of spans.values()) taken.push(total);
    this.totals.clear();
    this.entries = 0;
    return taken;
  }
}

/** A write's totals at every level. */
export function usageTotalsOfEveryLevel(): UsageTotals[] {
  return usageLevels.map((level) => new UsageTotals(level));
}

import type { Reading } from "../readings/reading.js";
import type { TimeSpan } from "./time-span.js";

/** What some readings add up to. */
export interface Tally {
  /** Readings with a value. */
  count: number;
  /** Readings without one. */
  missingCount: number;
  sum: number;
  /** Over the readings with a value; absent when none has one. */
  min?: number;
  max?: number;
}

/**
 * The tally of readings at `start` or later that all belong to the period containing `start`:
 * a UTC hour that no period boundary cuts, or a single reading.
 */
export interface PartialUsage extends Tally {
  start: number;
}

/** The tally of a period's readings; mean is absent when none has a value. */
export interface PeriodUsage extends TimeSpan, Tally {
  mean?: number;
}

export function readingUsage(reading: Reading): PartialUsage {
  const { time: start, value } = reading;
  return value === null
    ? { start, count: 0, missingCount: 1, sum: 0 }
    : { start, count: 1, missingCount: 0, sum: value, min: value, max: value };
}

/**
 * Adds up partials, in any order, into the periods (sorted, not overlapping) that contain their
 * starts; partials outside every period are left out.
 */
export function usageByPeriod(periods: TimeSpan[], partials: Iterable<PartialUsage>): PeriodUsage[] {
  const usages: PeriodUsage[] = periods.map(({ start, end }) => ({ start, end, count: 0, missingCount: 0, sum: 0 }));
  for (const partial of partials) {
    const usage = usages[lastStartingAtOrBefore(usages, partial.start)];
    if (usage !== undefined && partial.start < usage.end) addInto(usage, partial);
  }
  return usages.map(withMean);
}

/** The meters together, period by period; every meter's list has the same periods. */
export function addUp(perMeter: PeriodUsage[][]): PeriodUsage[] {
  const [first = []] = perMeter;
  return first.map(({ start, end }, index) => {
    const total: PeriodUsage = { start, end, count: 0, missingCount: 0, sum: 0 };
    for (const usages of perMeter) addInto(total, usages[index]);
    return withMean(total);
  });
}

function addInto(total: Tally, part: Tally): void {
  total.count += part.count;
  total.missingCount += part.missingCount;
  total.sum += part.sum;
  if (part.min !== undefined) total.min = total.min === undefined ? part.min : Math.min(total.min, part.min);
  if (part.max !== undefined) total.max = total.max === undefined ? part.max : Math.max(total.max, part.max);
}

function withMean(usage: PeriodUsage): PeriodUsage {
  if (usage.count > 0) usage.mean = usage.sum / usage.count;
  return usage;
}

// -1 when every span starts after the time.
function lastStartingAtOrBefore(spans: TimeSpan[], time: number): number {
  let low = 0;
  let high = spans.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (spans[middle].start <= time) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

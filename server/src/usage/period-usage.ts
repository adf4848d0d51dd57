import { addInto, emptyTally, type Tally, type TimeSpan } from "../readings/tally.js";

/** The tally of a period's readings; mean is absent when none has a value. */
export interface PeriodUsage extends TimeSpan, Tally {
  mean?: number;
  /** What the period cost, present when its meter has a tariff (see pricing/). */
  energyCost?: number;
  standingCharge?: number;
  cost?: number;
  unpricedCount?: number;
}

/** A period's tally with its bounds and mean. */
export function periodUsage(period: TimeSpan, { count, missingCount, sum, min, max }: Tally): PeriodUsage {
  // Field by field rather than by spreading the tally: a thousand meters' month makes 31,000 of these.
  const usage: PeriodUsage = { start: period.start, end: period.end, count, missingCount, sum };
  if (min !== undefined) usage.min = min;
  if (max !== undefined) usage.max = max;
  if (count > 0) usage.mean = sum / count;
  return usage;
}

/** The meters together, period by period; every meter's list has the same periods. */
export function addUp(perMeter: PeriodUsage[][]): PeriodUsage[] {
  const [first = []] = perMeter;
  return first.map((period, index) => {
    const total = emptyTally();
    for (const usages of perMeter) addInto(total, usages[index]);
    return periodUsage(period, total);
  });
}

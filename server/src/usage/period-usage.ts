import { emptySpanTallies, type SpanTallies, type Tally, type TimeSpan } from "../readings/tally.js";

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
  return usageOf(period, count, missingCount, sum, min ?? NaN, max ?? NaN);
}

/** Period `index` of a meter's tallies in columns, as periodUsage makes it. */
export function periodUsageAt(period: TimeSpan, { count, missingCount, sum, min, max }: SpanTallies, index: number): PeriodUsage {
  return usageOf(period, count[index], missingCount[index], sum[index], min[index], max[index]);
}

// Field by field rather than by spreading a tally: a thousand meters' month makes 31,000 of
// these. A min or max of NaN is none.
function usageOf(period: TimeSpan, count: number, missingCount: number, sum: number, min: number, max: number): PeriodUsage {
  const usage: PeriodUsage = { start: period.start, end: period.end, count, missingCount, sum };
  if (min === min) usage.min = min;
  if (max === max) usage.max = max;
  if (count > 0) usage.mean = sum / count;
  return usage;
}

/** The meters together, period by period, adding the meters in their order; every meter has the same periods. */
export function addUp(periods: TimeSpan[], perMeter: SpanTallies[]): PeriodUsage[] {
  const total = emptySpanTallies(periods.length);
  for (const tallies of perMeter) {
    for (let index = 0; index < periods.length; index++) {
      total.count[index] += tallies.count[index];
      total.missingCount[index] += tallies.missingCount[index];
      total.sum[index] += tallies.sum[index];
      const min = tallies.min[index];
      const max = tallies.max[index];
      const totalMin = total.min[index];
      const totalMax = total.max[index];
      if (min === min && (totalMin !== totalMin || min < totalMin)) total.min[index] = min;
      if (max === max && (totalMax !== totalMax || max > totalMax)) total.max[index] = max;
    }
  }
  return periods.map((period, index) => periodUsageAt(period, total, index));
}

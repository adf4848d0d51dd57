import { emptySpanTallies, higherOf, lowerOf, type SpanTallies, type Tally, type TimeSpan } from "../readings/tally.js";

/** The tally of a period's readings; mean is absent when none has a value. */
export interface PeriodUsage extends TimeSpan, Tally {
  mean?: number;
  /** What the period cost, present when its meter has a tariff (see pricing/). */
  energyCost?: number;
  standingCharge?: number;
  cost?: number;
  unpricedCount?: number;
}

/** What each period of a meter with a tariff cost (see pricing/), a column a figure. */
export interface PeriodCosts {
  energyCost: ArrayLike<number>;
  standingCharge: ArrayLike<number>;
  unpricedCount: ArrayLike<number>;
}

/** Period `index` of a meter's tallies in columns, with its bounds and mean (absent when no reading has a value), and its costs when the meter has them. */
export function periodUsageAt(period: TimeSpan, { count, missingCount, sum, min, max }: SpanTallies, index: number, costs?: PeriodCosts): PeriodUsage {
  if (costs === undefined) return usageOf(period, count[index], missingCount[index], sum[index], min[index], max[index]);
  return pricedUsageOf(period, count[index], missingCount[index], sum[index], min[index], max[index], costs.energyCost[index], costs.standingCharge[index], costs.unpricedCount[index]);
}

// A thousand meters' month makes 31,000 of these. A period with values gets every field in
// one literal: fields added one by one afterwards each grow the object's store of them, and
// that was most of the collector's work on a fleet's answer. A min or max of NaN is none.
function usageOf(period: TimeSpan, count: number, missingCount: number, sum: number, min: number, max: number): PeriodUsage {
  const { start, end } = period;
  if (count > 0 && min === min && max === max) return { start, end, count, missingCount, sum, min, max, mean: sum / count };
  const usage: PeriodUsage = { start, end, count, missingCount, sum };
  if (min === min) usage.min = min;
  if (max === max) usage.max = max;
  if (count > 0) usage.mean = sum / count;
  return usage;
}

function pricedUsageOf(
  period: TimeSpan,
  count: number,
  missingCount: number,
  sum: number,
  min: number,
  max: number,
  energyCost: number,
  standingCharge: number,
  unpricedCount: number,
): PeriodUsage {
  const { start, end } = period;
  const cost = energyCost + standingCharge;
  if (count > 0 && min === min && max === max) {
    return { start, end, count, missingCount, sum, min, max, mean: sum / count, energyCost, standingCharge, cost, unpricedCount };
  }
  return { ...usageOf(period, count, missingCount, sum, min, max), energyCost, standingCharge, cost, unpricedCount };
}

/** The meters together, period by period, adding the meters in their order; every meter has the same periods. */
export function addUp(periods: TimeSpan[], perMeter: SpanTallies[]): PeriodUsage[] {
  const total = emptySpanTallies(periods.length);
  for (const tallies of perMeter) {
    for (let index = 0; index < periods.length; index++) {
      total.count[index] += tallies.count[index];
      total.missingCount[index] += tallies.missingCount[index];
      total.sum[index] += tallies.sum[index];
      total.min[index] = lowerOf(total.min[index], tallies.min[index]);
      total.max[index] = higherOf(total.max[index], tallies.max[index]);
    }
  }
  return periods.map((period, index) => periodUsageAt(period, total, index));
}

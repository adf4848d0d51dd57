import { hasShortDecimal } from "../readings/json-numbers.js";
import type { PeriodUsage } from "./period-usage.js";
import type { Usage } from "./read-usage.js";

/**
 * The finite doubles of an answer's periods that have no short decimal, in the order both
 * JSON writers of usage write them (the meters' periods, then the total's; in each period sum,
 * min, max, mean, energyCost, standingCharge, cost): what JsonWriter.expectLongNumbers takes.
 */
export function longDoubles(usage: Usage): number[] {
  const doubles: number[] = [];
  for (const { periods } of usage.meters) addLongDoubles(doubles, periods);
  if (usage.total !== undefined) addLongDoubles(doubles, usage.total);
  return doubles;
}

function addLongDoubles(doubles: number[], periods: PeriodUsage[]): void {
  for (let index = 0; index < periods.length; index++) {
    const period = periods[index];
    addIfLong(doubles, period.sum);
    addIfLong(doubles, period.min);
    addIfLong(doubles, period.max);
    addIfLong(doubles, period.mean);
    addIfLong(doubles, period.energyCost);
    addIfLong(doubles, period.standingCharge);
    addIfLong(doubles, period.cost);
  }
}

function addIfLong(doubles: number[], value: number | undefined): void {
  if (value !== undefined && Number.isFinite(value) && !hasShortDecimal(value)) doubles.push(value);
}

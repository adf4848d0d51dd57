import type { TimeSpan } from "../readings/tally.js";
import { calendarPeriods, periodOf } from "../usage/calendar-periods.js";
import type { VersionInForce } from "./tariff-rates.js";

/**
 * The standing charge each period accrues: every local day of the tariff's zone accrues the
 * charge of the version in force at its start (nothing before the first version) evenly over
 * its real length, 23 or 25 hours on a clock-change day, and each period gets the part of
 * every day it overlaps. `periods` are contiguous, oldest first.
 */
export function standingCharges(versions: VersionInForce[], zone: string, periods: TimeSpan[]): number[] {
  const charges = periods.map(() => 0);
  if (periods.length === 0 || versions.length === 0) return charges;
  const start = periods[0].start;
  const end = periods[periods.length - 1].end;
  const days = calendarPeriods({ start: periodOf(start, "day", zone).start, end: periodOf(end - 1, "day", zone).end }, "day", zone, Infinity);
  let version = -1;
  let first = 0;
  for (const localDay of days) {
    while (version + 1 < versions.length && versions[version + 1].from <= localDay.start) version++;
    const charge = version < 0 ? 0 : versions[version].standingChargePerDay;
    if (charge === 0) continue;
    const length = localDay.end - localDay.start;
    while (first < periods.length && periods[first].end <= localDay.start) first++;
    for (let index = first; index < periods.length && periods[index].start < localDay.end; index++) {
      const overlap = Math.min(periods[index].end, localDay.end) - Math.max(periods[index].start, localDay.start);
      // A whole day adds its charge as it is, so a week's is exactly its seven days' sum.
      charges[index] += overlap === length ? charge : (charge * overlap) / length;
    }
  }
  return charges;
}

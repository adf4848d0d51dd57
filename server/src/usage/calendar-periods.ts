import { InvalidUsageError } from "./invalid-usage-error.js";
import type { Period } from "./period.js";
import type { TimeSpan } from "../readings/tally.js";
import { nextWallClockPeriodStart, wallClockPeriodStart } from "./wall-clock-periods.js";
import { offsetStretches, type OffsetStretch } from "./zone-offsets.js";

/** The most periods one request may list. */
export const maxPeriodsPerRequest = 100_000;

const hour = 3_600_000;
const day = 24 * hour;

// The longest a period lasts, allowing for the largest clock change of these days (two hours,
// Antarctica/Troll): a cheap lower bound on how many periods a range holds, before listing them.
const longest: Record<Period, number> = {
  hour,
  day: day + 2 * hour,
  week: 7 * day + 2 * hour,
  month: 31 * day + 2 * hour,
  quarter: 92 * day + 2 * hour,
  year: 366 * day + 2 * hour,
};

/**
 * Every period of a zone's calendar that overlaps the range, oldest first, the first and last
 * clipped to it. A period starts where the zone's local date (and, for hours, the hour and the
 * UTC offset) changes, so a fall-back night has two 01:00 hours and a day whose midnight is
 * skipped starts when the clocks resume. Throws InvalidUsageError when the range holds more
 * than maxPeriods.
 */
export function calendarPeriods(range: TimeSpan, period: Period, zone: string, maxPeriods = maxPeriodsPerRequest): TimeSpan[] {
  const fewest = Math.ceil((range.end - range.start) / longest[period]);
  if (fewest > maxPeriods) throw tooManyPeriods(fewest, period, maxPeriods);
  const periods: TimeSpan[] = [];
  if (range.end <= range.start) return periods;
  let periodStart = range.start;
  const endPeriodAt = (time: number) => {
    if (periods.length === maxPeriods) throw tooManyPeriods(maxPeriods + 1, period, maxPeriods);
    periods.push({ start: periodStart, end: time });
    periodStart = time;
  };
  let previous: OffsetStretch | undefined;
  for (const stretch of offsetStretches(zone, range.start, range.end)) {
    const wallClockStart = stretch.start + stretch.offset;
    if (previous !== undefined && (period === "hour" || crossesPeriodStart(previous, stretch, period))) {
      endPeriodAt(stretch.start);
    }
    const wallClockEnd = stretch.end + stretch.offset;
    let next = nextWallClockPeriodStart(wallClockPeriodStart(wallClockStart, period), period);
    for (; next < wallClockEnd; next = nextWallClockPeriodStart(next, period)) endPeriodAt(next - stretch.offset);
    previous = stretch;
  }
  endPeriodAt(range.end);
  return periods;
}

/** The whole period of a zone's calendar that contains an instant. */
export function periodOf(time: number, period: Period, zone: string): TimeSpan {
  // Twice the longest period on either side keeps the clipping of the ends away from it.
  const margin = 2 * longest[period];
  const around = calendarPeriods({ start: time - margin, end: time + margin }, period, zone, Infinity);
  return around.find((candidate) => candidate.start <= time && time < candidate.end)!;
}

// Whether the clock change between two stretches moves the local time into another period.
function crossesPeriodStart(before: OffsetStretch, after: OffsetStretch, period: Period): boolean {
  const lastWallClockBefore = after.start - 1 + before.offset;
  return wallClockPeriodStart(lastWallClockBefore, period) !== wallClockPeriodStart(after.start + after.offset, period);
}

function tooManyPeriods(fewest: number, period: Period, maxPeriods: number): InvalidUsageError {
  const count = (n: number) => n.toLocaleString("en-US");
  return new InvalidUsageError(
    "period",
    `the range holds at least ${count(fewest)} ${period}s, more than the ${count(maxPeriods)} one request may list: ` +
      "ask for a longer period or a shorter range",
  );
}

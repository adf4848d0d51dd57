import { calendarPeriods } from "./calendar-periods.js";
import { InvalidUsageError } from "./invalid-usage-error.js";
import { wallClockPeriodStart } from "./wall-clock-periods.js";
import { utcOffset } from "./zone-offsets.js";

/** Returns the name when it is an IANA time zone (UTC included); throws InvalidUsageError naming `parameter` otherwise. */
export function checkTimeZone(name: string, parameter: string): string {
  try {
    // Asking for an offset keeps the zone's formatter for the periods that follow.
    utcOffset(name, 0);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new InvalidUsageError(parameter, `the time zone ${JSON.stringify(name)} is not an IANA time zone such as Europe/London`);
  }
  return name;
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const day = 86_400_000;

/**
 * The first instant of a local date (YYYY-MM-DD) in a zone, as epoch milliseconds, or undefined
 * when the text is not a date: the start of that day's period, so a bare-date range bound never
 * cuts a day. Where a clock change skips midnight, the day starts when the clocks resume; where
 * midnight comes twice (America/Havana's fall-back from 01:00), at the first; a date the zone
 * skipped altogether starts with the next.
 */
export function localMidnight(dateText: string, zone: string): number | undefined {
  const match = datePattern.exec(dateText.trim());
  if (match === null) return undefined;
  const [year, month, dayOfMonth] = match.slice(1).map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, dayOfMonth);
  if (year < 1 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== dayOfMonth) return undefined;
  const wallClockMidnight = date.getTime();
  // UTC offsets stay within a day, so the days of this window include the date's.
  const days = calendarPeriods({ start: wallClockMidnight - 2 * day, end: wallClockMidnight + 2 * day }, "day", zone);
  return days.find(({ start }) => wallClockPeriodStart(start + utcOffset(zone, start), "day") >= wallClockMidnight)?.start;
}

import type { Period } from "./period.js";

// A wall-clock time is a zone's local date and time written as epoch milliseconds as though it
// were UTC, so local calendar arithmetic is UTC arithmetic on it.

const hour = 3_600_000;
const day = 24 * hour;
const monthsIn = { month: 1, quarter: 3, year: 12 };

/** The wall-clock start of the period that contains a wall-clock time. */
export function wallClockPeriodStart(wallClock: number, period: Period): number {
  switch (period) {
    case "hour":
      return wallClock - modulo(wallClock, hour);
    case "day":
      return wallClock - modulo(wallClock, day);
    case "week": {
      // 1970-01-01 was a Thursday, three days after an ISO week's Monday.
      const days = Math.floor(wallClock / day);
      return (days - modulo(days + 3, 7)) * day;
    }
    default: {
      const date = new Date(wallClock);
      const month = date.getUTCMonth();
      return monthStart(date.getUTCFullYear(), month - (month % monthsIn[period]));
    }
  }
}

/** The wall-clock start of the period after the one starting at a wall-clock period start. */
export function nextWallClockPeriodStart(periodStart: number, period: Period): number {
  switch (period) {
    case "hour":
      return periodStart + hour;
    case "day":
      return periodStart + day;
    case "week":
      return periodStart + 7 * day;
    default: {
      const date = new Date(periodStart);
      return monthStart(date.getUTCFullYear(), date.getUTCMonth() + monthsIn[period]);
    }
  }
}

// setUTCFullYear, unlike Date.UTC, does not read years 0 to 99 as 1900 to 1999.
function monthStart(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 1);
  return date.getTime();
}

function modulo(dividend: number, divisor: number): number {
  return ((dividend % divisor) + divisor) % divisor;
}

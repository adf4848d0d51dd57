/**
 * Calendar dates without a time zone, as whole days since 1970-01-01: the usage view's ranges
 * are local dates of the meter's zone, and the service reads a bare date as that zone's midnight.
 */
export type Day = number;

const dayMs = 86_400_000;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDay(text: string): Day | undefined {
  const match = datePattern.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  // Date.UTC rolls February 30 over into March; such a date is refused, not moved.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return time / dayMs;
}

/** "2019-03-31", as the service and the address take a date. */
export function dayText(day: Day): string {
  return new Date(day * dayMs).toISOString().slice(0, 10);
}

export function dayOfDate(year: number, month: number, date: number): Day {
  return Date.UTC(year, month - 1, date) / dayMs;
}

/** 1 for Monday to 7 for Sunday, as ISO weeks count. */
export function isoWeekday(day: Day): number {
  return ((new Date(day * dayMs).getUTCDay() + 6) % 7) + 1;
}

export function startOfWeek(day: Day): Day {
  return day - isoWeekday(day) + 1;
}

export function startOfMonth(day: Day): Day {
  const date = new Date(day * dayMs);
  return dayOfDate(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

export function startOfYear(day: Day): Day {
  return dayOfDate(new Date(day * dayMs).getUTCFullYear(), 1, 1);
}

/** The same date `count` months later (or earlier), for dates on the first of a month. */
export function addMonths(day: Day, count: number): Day {
  const date = new Date(day * dayMs);
  return dayOfDate(date.getUTCFullYear(), date.getUTCMonth() + 1 + count, date.getUTCDate());
}

export function isFirstOfMonth(day: Day): boolean {
  return new Date(day * dayMs).getUTCDate() === 1;
}

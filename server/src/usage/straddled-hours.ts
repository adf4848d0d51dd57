import type { TimeSpan } from "./time-span.js";

const hour = 3_600_000;

/**
 * The starts of the UTC hours, sorted, that a boundary of the periods (their first start
 * included) cuts in two. An hourly aggregate of such an hour would mix readings of two periods,
 * or of the range and outside it, as at Asia/Kolkata's midnight (18:30Z); so a store answers
 * every hour the periods touch from its hourly aggregates except these, whose readings it reads
 * one by one.
 */
export function straddledHours(periods: TimeSpan[]): number[] {
  const boundaries = periods.length === 0 ? [] : [periods[0].start, ...periods.map((period) => period.end)];
  const hours: number[] = [];
  for (const boundary of boundaries) {
    const offHour = ((boundary % hour) + hour) % hour;
    const straddled = boundary - offHour;
    if (offHour !== 0 && hours.at(-1) !== straddled) hours.push(straddled);
  }
  return hours;
}

import { addMonths, isFirstOfMonth, startOfMonth, startOfWeek, startOfYear, type Day } from "./usage-calendar.js";

/** Local dates [start, end) of the meter's zone: the end date is not included. */
export interface DayRange {
  start: Day;
  end: Day;
}

export type RangePreset = "this-week" | "last-7-days" | "this-month" | "this-year";

export const rangePresets: { preset: RangePreset; label: string }[] = [
  { preset: "this-week", label: "This week" },
  { preset: "last-7-days", label: "Last 7 days" },
  { preset: "this-month", label: "This month" },
  { preset: "this-year", label: "This year" },
];

/**
 * A preset's range around `today`, the local date of the latest reading: a meter that
 * reports live makes that today, and one whose data ended long ago still shows its data.
 */
export function presetRange(preset: RangePreset, today: Day): DayRange {
  switch (preset) {
    case "this-week":
      return { start: startOfWeek(today), end: startOfWeek(today) + 7 };
    case "last-7-days":
      return { start: today - 6, end: today + 1 };
    case "this-month":
      return { start: startOfMonth(today), end: addMonths(startOfMonth(today), 1) };
    case "this-year":
      return { start: startOfYear(today), end: addMonths(startOfYear(today), 12) };
  }
}

/**
 * The range just before, one range length back in calendar terms: March's is February, not
 * the 31 days before March, and a year's is the year before.
 */
export function previousRange({ start, end }: DayRange): DayRange {
  if (isFirstOfMonth(start) && isFirstOfMonth(end)) {
    const months = monthsBetween(start, end);
    return { start: addMonths(start, -months), end: start };
  }
  return { start: start - (end - start), end: start };
}

function monthsBetween(start: Day, end: Day): number {
  const from = new Date(start * 86_400_000);
  const to = new Date(end * 86_400_000);
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
}

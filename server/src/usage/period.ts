import { InvalidUsageError } from "./invalid-usage-error.js";

/** A calendar period of a time zone: hours, days from midnight, ISO weeks from Monday, months, quarters, years. */
export type Period = "hour" | "day" | "week" | "month" | "quarter" | "year";

export const periods: readonly Period[] = ["hour", "day", "week", "month", "quarter", "year"];

/** Reads a period name in any case; throws InvalidUsageError naming `parameter` when it is none. */
export function parsePeriod(text: string, parameter: string): Period {
  const period = periods.find((name) => name === text.trim().toLowerCase());
  if (period === undefined) {
    throw new InvalidUsageError(parameter, `the period ${JSON.stringify(text)} is not one of ${periods.join(", ")}`);
  }
  return period;
}

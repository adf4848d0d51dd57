import type { TimeRange } from "../readings/reading.js";
import { checkRange, InvalidRangeError } from "../readings/time-range.js";
import { parseTimestamp, timestampFormatHint } from "../readings/timestamp-text.js";

/** The `start` and `end` query parameters as a checked range; throws InvalidRangeError naming the parameter. */
export function rangeFromQuery(query: URLSearchParams): TimeRange {
  return checkRange({ start: timeParameter(query, "start"), end: timeParameter(query, "end") });
}

function timeParameter(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === "") return undefined;
  const time = parseTimestamp(text);
  if (time === undefined) {
    throw new InvalidRangeError(name, `the \`${name}\` parameter ${JSON.stringify(text)} is not a time: ${timestampFormatHint}`);
  }
  return time;
}

import type { TimeRange } from "./reading.js";
import { formatTimestamp } from "./timestamp-text.js";

/** Thrown when a caller asks for a range that cannot exist; names the parameter at fault. */
export class InvalidRangeError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = "InvalidRangeError";
  }
}

export function checkRange(range: TimeRange): TimeRange {
  if (range.start !== undefined && range.end !== undefined && range.start > range.end) {
    throw new InvalidRangeError(
      "start",
      `start (${formatTimestamp(range.start)}) is after end (${formatTimestamp(range.end)})`,
    );
  }
  return range;
}

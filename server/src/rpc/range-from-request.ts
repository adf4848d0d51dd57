import { Code, ConnectError } from "@connectrpc/connect";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { TimeRange } from "../readings/reading.js";
import { checkRange, InvalidRangeError } from "../readings/time-range.js";

// The span google.protobuf.Timestamp allows: 0001-01-01 to 9999-12-31.
const minSeconds = -62_135_596_800n;
const maxSeconds = 253_402_300_799n;

/** Turns a request's optional start and end into a checked range, or InvalidArgument. */
export function rangeFromRequest(request: { start?: Timestamp; end?: Timestamp }): TimeRange {
  try {
    return checkRange({
      start: request.start && millisOf(request.start, "start"),
      end: request.end && millisOf(request.end, "end"),
    });
  } catch (error) {
    if (error instanceof InvalidRangeError) throw new ConnectError(error.message, Code.InvalidArgument);
    throw error;
  }
}

/** Epoch milliseconds of a protobuf Timestamp, or InvalidArgument naming the field. */
export function millisOf(timestamp: Timestamp, field: string): number {
  const { seconds, nanos } = timestamp;
  if (seconds < minSeconds || seconds > maxSeconds || nanos < 0 || nanos > 999_999_999) {
    throw new ConnectError(`${field} is not a valid timestamp (seconds ${seconds}, nanos ${nanos})`, Code.InvalidArgument);
  }
  return Number(seconds) * 1000 + Math.floor(nanos / 1_000_000);
}

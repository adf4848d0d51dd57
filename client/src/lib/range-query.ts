import type { TimeRange } from "./time-range.js";
import { rfc3339 } from "./utc-time.js";

/**
 * A meter's range as the service's HTTP routes read it: ?meter=&start=&end=, an absent bound
 * left out, and no meter ("") for the service's default one.
 */
export function rangeQuery(range: TimeRange, meter: string): URLSearchParams {
  const query = new URLSearchParams();
  if (meter !== "") query.set("meter", meter);
  if (range.start !== undefined) query.set("start", rfc3339(range.start));
  if (range.end !== undefined) query.set("end", rfc3339(range.end));
  return query;
}

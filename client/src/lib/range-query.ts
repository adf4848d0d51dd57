import type { TimeRange } from "./time-range.js";
import { rfc3339 } from "./utc-time.js";

/** A range as the service's HTTP routes read it: ?start=&end=, an absent bound left out. */
export function rangeQuery(range: TimeRange): URLSearchParams {
  const query = new URLSearchParams();
  if (range.start !== undefined) query.set("start", rfc3339(range.start));
  if (range.end !== undefined) query.set("end", rfc3339(range.end));
  return query;
}

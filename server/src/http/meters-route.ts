import type { Grant } from "../access/access-policy.js";
import type { MeterChoice } from "../access/meter-choice.js";
import { formatTimestamp } from "../readings/timestamp-text.js";
import type { HttpResponse } from "./http-types.js";
import { sendJson } from "./send-json.js";

/**
 * GET /api/meters: every meter the caller may read, with its figures, and the one a request
 * naming none reads, as ListMeters answers them, in proto JSON names.
 */
export async function serveMeters(choice: MeterChoice, grant: Grant, response: HttpResponse): Promise<void> {
  const { meters, defaultMeter } = await choice.listing(grant);
  sendJson(response, 200, {
    meters: meters.map(({ firstTime, lastTime, ...meter }) => ({
      ...meter,
      firstTime: firstTime === undefined ? undefined : formatTimestamp(firstTime),
      lastTime: lastTime === undefined ? undefined : formatTimestamp(lastTime),
    })),
    defaultMeter,
  });
}

import type { Grant } from "../access/access-policy.js";
import type { MeterChoice } from "../access/meter-choice.js";
import type { HttpResponse } from "./http-types.js";
import { metersRouteJson } from "./meters-json.js";
import { sendJsonBytes } from "./send-json.js";

/**
 * GET /api/meters: every meter the caller may read, with its figures, and the one a request
 * naming none reads, as ListMeters answers them, in proto JSON names.
 */
export async function serveMeters(choice: MeterChoice, grant: Grant, response: HttpResponse): Promise<void> {
  const { meters, defaultMeter } = await choice.listing(grant);
  sendJsonBytes(response, 200, metersRouteJson(meters, defaultMeter));
}

import type { HealthStatus } from "../rpc/health-status.js";
import type { HttpResponse } from "./http-types.js";
import { sendJson } from "./send-json.js";

/** GET /healthz: 200 while serving, 503 while the store is unavailable or the service shuts down, for load balancers and Docker. */
export async function serveHealth(health: HealthStatus, response: HttpResponse): Promise<void> {
  const state = await health.confirmed();
  sendJson(response, state === "SERVING" ? 200 : 503, { status: state });
}

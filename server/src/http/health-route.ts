import type { HealthStatus } from "../rpc/health-status.js";
import type { HttpResponse } from "./http-types.js";
import { sendJson } from "./send-json.js";

/** GET /healthz: 200 while serving, 503 while shutting down, for load balancers and Docker. */
export function serveHealth(health: HealthStatus, response: HttpResponse): void {
  sendJson(response, health.state === "SERVING" ? 200 : 503, { status: health.state });
}

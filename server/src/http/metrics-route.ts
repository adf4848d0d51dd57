import type { ServiceMetrics } from "../observability/service-metrics.js";
import type { HttpResponse } from "./http-types.js";

/** GET /metrics in the Prometheus text format. */
export async function serveMetrics(metrics: ServiceMetrics, response: HttpResponse): Promise<void> {
  const text = await metrics.registry.metrics();
  response.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
  response.end(text);
}

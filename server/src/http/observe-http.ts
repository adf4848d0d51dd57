import type { Logger } from "pino";
import { protocolOf } from "../observability/protocol.js";
import { recordRequest } from "../observability/request-record.js";
import { rowsSentOn } from "../observability/rows-sent.js";
import type { ServiceMetrics } from "../observability/service-metrics.js";
import type { HttpHandler } from "./http-types.js";

/** One log line and the metrics for every plain HTTP request, once its response is done. */
export function observeHttp(logger: Logger, metrics: ServiceMetrics, handler: HttpHandler): HttpHandler {
  return (request, response) => {
    const started = performance.now();
    const path = (request.url ?? "/").split("?")[0];
    response.once("close", () => {
      const rowsSent = rowsSentOn(response);
      const protocol = protocolOf(request.headers["content-type"], false);
      if (rowsSent > 0) metrics.rowsStreamed.inc({ protocol }, rowsSent);
      recordRequest(logger, metrics, {
        protocol,
        procedure: `${request.method} ${routeName(path)}`,
        code: String(response.statusCode),
        durationMs: performance.now() - started,
        rowsSent,
        streamed: rowsSent > 0,
      });
    });
    handler(request, response);
  };
}

/** Known routes by name; any other path is one label, so clients cannot grow the metrics without end. */
function routeName(path: string): string {
  if (["/api/readings", "/api/meters", "/api/whoami", "/usage/data", "/healthz", "/metrics", "/"].includes(path)) return path;
  return path.startsWith("/assets/") ? "/assets/*" : "other";
}

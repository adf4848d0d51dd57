import type { AccessPolicy } from "../access/access-policy.js";
import type { MeterChoice } from "../access/meter-choice.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { HttpHandler, HttpRequest, HttpResponse } from "./http-types.js";
import type { HealthStatus } from "../rpc/health-status.js";
import { appendReadings } from "./append-route.js";
import type { Logger } from "../observability/logger.js";
import type { ServiceMetrics } from "../observability/service-metrics.js";
import { refusalHeaders } from "./refusal-headers.js";
import { domainErrorStatus } from "./domain-error-status.js";
import { serveHealth } from "./health-route.js";
import { serveMeters } from "./meters-route.js";
import { serveMetrics } from "./metrics-route.js";
import { observeHttp } from "./observe-http.js";
import { serveReadings } from "./readings-route.js";
import { serveUsage } from "./usage-route.js";
import { serveTariffs } from "./tariffs-route.js";
import { sendError, sendJson } from "./send-json.js";
import { serveStaticFile } from "./static-files.js";

/** The plain HTTP side of the service: the JSON route and the built page. */
export interface HttpRoutesOptions {
  store: ReadingStore;
  meters: MeterChoice;
  /** The built page's folder. */
  staticRoot: string;
  access: AccessPolicy;
  health: HealthStatus;
  metrics: ServiceMetrics;
  logger: Logger;
}

export function httpRoutes(options: HttpRoutesOptions): HttpHandler {
  const { logger, metrics } = options;
  return observeHttp(logger, metrics, (request, response) => {
    route(options, request, response).catch((error: unknown) => {
      const status = domainErrorStatus(error);
      if (status !== undefined && !response.headersSent) {
        for (const [name, value] of Object.entries(refusalHeaders(error))) response.setHeader(name, value);
        return sendError(response, status, (error as Error).message);
      }
      logger.error({ err: error, path: request.url }, "request failed");
      if (!response.headersSent) sendError(response, 500, "internal error");
      else response.destroy();
    });
  });
}

async function route(
  { store, meters, staticRoot, access, health, metrics, logger }: HttpRoutesOptions,
  request: HttpRequest,
  response: HttpResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const readsOnly = request.method === "GET" || request.method === "HEAD";
  // Health and the page's own files stay open: load balancers and the sign-in page need them.
  const caller = () => access.authenticate(request.headers.authorization, request.socket.remoteAddress ?? "");
  if (url.pathname === "/api/readings" || url.pathname === "/usage/data") {
    const grant = caller();
    if (request.method === "POST" && url.pathname === "/api/readings") {
      return appendReadings(store, meters, grant, logger, request, response, url.searchParams);
    }
    if (!readsOnly) return sendError(response, 405, `${request.method} is not allowed on ${url.pathname}`);
    return serveReadings(store, meters, grant, request, response, url.searchParams);
  }
  if (url.pathname === "/api/usage") {
    const grant = caller();
    if (!readsOnly) return sendError(response, 405, `${request.method} is not allowed on ${url.pathname}`);
    return serveUsage(store, meters, grant, response, url.searchParams);
  }
  if (url.pathname === "/api/tariffs" || url.pathname.startsWith("/api/tariffs/")) {
    return serveTariffs(store, caller(), request, response, url.pathname);
  }
  if (url.pathname === "/api/meters" || url.pathname === "/api/whoami") {
    const grant = caller();
    if (!readsOnly) return sendError(response, 405, `${request.method} is not allowed on ${url.pathname}`);
    if (url.pathname === "/api/whoami") return sendJson(response, 200, { name: grant.name ?? null });
    return serveMeters(meters, grant, response);
  }
  if (url.pathname === "/healthz" && readsOnly) return serveHealth(health, response);
  if (url.pathname === "/metrics" && readsOnly) {
    caller().checkMetrics();
    return serveMetrics(metrics, response);
  }
  if (readsOnly && (await serveStaticFile(staticRoot, decodePath(url.pathname), response, request.method === "HEAD"))) {
    return;
  }
  sendError(response, 404, `nothing at ${url.pathname}`);
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return "\0";
  }
}

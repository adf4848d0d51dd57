import type { Logger } from "pino";
import type { Protocol } from "./protocol.js";
import type { ServiceMetrics } from "./service-metrics.js";

/** What is known of one request when it ends: its log line and its metrics (rows are counted as they go). */
export interface RequestRecord {
  protocol: Protocol;
  /** The RPC's /service/method, or the HTTP method and path. */
  procedure: string;
  /** The gRPC code name ("ok", "invalid_argument", …) or the HTTP status. */
  code: string;
  durationMs: number;
  rowsSent: number;
  streamed: boolean;
}

export function recordRequest(logger: Logger, metrics: ServiceMetrics, record: RequestRecord): void {
  const { protocol, procedure, code, durationMs, rowsSent, streamed } = record;
  logger.info({ protocol, procedure, code, durationMs: Math.round(durationMs * 10) / 10, rowsSent }, "request");
  metrics.requests.inc({ protocol, procedure, code });
  if (streamed) metrics.streamDuration.observe({ protocol, procedure }, durationMs / 1000);
}

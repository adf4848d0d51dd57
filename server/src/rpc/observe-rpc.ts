import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { protocolOf } from "../observability/protocol.js";
import { recordRequest } from "../observability/request-record.js";
import type { ServiceMetrics } from "../observability/service-metrics.js";

/** One log line and the metrics for every RPC, once its response or stream has ended. */
export function observeRpc(logger: Logger, metrics: ServiceMetrics): Interceptor {
  return (next) => async (request) => {
    const started = performance.now();
    const protocol = protocolOf(request.header.get("content-type"), true);
    const procedure = `/${request.service.typeName}/${request.method.name}`;
    const finish = (error: unknown, rowsSent: number, streamed: boolean) =>
      recordRequest(logger, metrics, {
        protocol,
        procedure,
        code: error === undefined ? "ok" : codeName(ConnectError.from(error).code),
        durationMs: performance.now() - started,
        rowsSent,
        streamed,
      });
    try {
      const response = await next(request);
      if (!response.stream) {
        finish(undefined, 0, false);
        return response;
      }
      metrics.openStreams.inc({ protocol });
      return { ...response, message: counted(response.message, (error, rows) => {
        metrics.openStreams.dec({ protocol });
        finish(error, rows, true);
      }) };
    } catch (error) {
      finish(error, 0, false);
      throw error;
    }
  };
}

async function* counted<T>(messages: AsyncIterable<T>, done: (error: unknown, rows: number) => void): AsyncIterable<T> {
  let rows = 0;
  let failure: unknown;
  try {
    for await (const message of messages) {
      const readings = (message as { readings?: unknown }).readings;
      if (Array.isArray(readings)) rows += readings.length;
      yield message;
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    done(failure, rows);
  }
}

function codeName(code: Code): string {
  return Code[code].replace(/[A-Z]/g, (letter, index: number) => (index === 0 ? "" : "_") + letter.toLowerCase());
}

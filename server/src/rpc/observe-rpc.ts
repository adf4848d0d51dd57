import { Code, ConnectError, createContextKey, type ContextValues, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "pino";
import { StreamReadingsResponseSchema, type StreamReadingsResponse } from "../../../gen/meterusage/v1/meterusage_pb.js";
import { whenAnswered } from "../observability/answered.js";
import { protocolOf } from "../observability/protocol.js";
import { recordRequest } from "../observability/request-record.js";
import type { ServiceMetrics } from "../observability/service-metrics.js";
import { readingsCarried } from "./encoded-readings.js";

const answeredKey = createContextKey<(then: () => void) => void>((then) => then(), {
  description: "runs a function once the call's answer is done",
});

/** Lets observeRpc's record of a call wait until the answer to its Node request is done (see whenAnswered). */
export function watchingAnswerOf(values: ContextValues, nodeRequest: object): ContextValues {
  values.set(answeredKey, (then) => whenAnswered(nodeRequest, then));
  return values;
}

/** Runs `then` once the answer to the call whose context values these are is done (at once outside a watched call). */
export function whenCallAnswered(values: ContextValues, then: () => void): void {
  values.get(answeredKey)(then);
}

/**
 * One log line and the metrics for every RPC, once its response or stream has ended and its
 * answer is done, with the time to then: writing the line never holds back the answer's bytes.
 */
export function observeRpc(logger: Logger, metrics: ServiceMetrics): Interceptor {
  return (next) => async (request) => {
    const started = performance.now();
    const protocol = protocolOf(request.header.get("content-type"), true);
    const procedure = `/${request.service.typeName}/${request.method.name}`;
    const answered = request.contextValues.get(answeredKey);
    const finish = (error: unknown, rowsSent: number, streamed: boolean) => {
      const code = error === undefined ? "ok" : codeName(ConnectError.from(error).code);
      answered(() => recordRequest(logger, metrics, { protocol, procedure, code, durationMs: performance.now() - started, rowsSent, streamed }));
    };
    try {
      const response = await next(request);
      if (!response.stream) {
        finish(undefined, 0, false);
        return response;
      }
      metrics.openStreams.inc({ protocol });
      const stream = countedStream(response.message, request.signal, (rows) => metrics.rowsStreamed.inc({ protocol }, rows), (error, rows) => {
        metrics.openStreams.dec({ protocol });
        finish(error, rows, true);
      });
      return { ...response, message: stream };
    } catch (error) {
      finish(error, 0, false);
      throw error;
    }
  };
}

/**
 * Counts the readings a stream sends and reports once when it ends. A client that cancels
 * may leave the stream neither finished nor closed, so its abort ends the record too.
 */
function countedStream<T>(
  messages: AsyncIterable<T>,
  signal: AbortSignal,
  sent: (rows: number) => void,
  done: (error: unknown, rows: number) => void,
): AsyncIterable<T> {
  let rows = 0;
  let reported = false;
  const report = (error: unknown) => {
    if (reported) return;
    reported = true;
    signal.removeEventListener("abort", onAbort);
    done(error, rows);
  };
  const onAbort = () => report(new ConnectError("the client cancelled", Code.Canceled));
  signal.addEventListener("abort", onAbort, { once: true });
  return (async function* () {
    let failure: unknown;
    try {
      for await (const message of messages) {
        if (isStreamReadingsResponse(message)) {
          const carried = readingsCarried(message);
          rows += carried;
          sent(carried);
        }
        yield message;
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      report(failure);
    }
  })();
}

function isStreamReadingsResponse(message: unknown): message is StreamReadingsResponse {
  return (message as { $typeName?: string }).$typeName === StreamReadingsResponseSchema.typeName;
}

function codeName(code: Code): string {
  return Code[code].replace(/[A-Z]/g, (letter, index: number) => (index === 0 ? "" : "_") + letter.toLowerCase());
}

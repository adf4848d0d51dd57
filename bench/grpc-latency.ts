import { once } from "node:events";
import http2 from "node:http2";

/** One kind of gRPC call to time, with the body of its i-th request. */
export interface TimedCall {
  port: number;
  path: string;
  body(request: number): Buffer;
  /** A stream is timed to its first message, which is what a reader waits for; a unary call to its end. */
  until: "first message" | "end";
}

/** These first calls warm the JIT and the connection up; they are not counted. */
const warmUpCalls = 10;

/**
 * Sequential calls over one warm h2c connection per server, taking turns between the calls,
 * so that the machine's noise falls on each alike. Latency, unlike throughput, is what a
 * client sees, so the client is this process. Answers each call's milliseconds, sorted.
 */
export async function timeCalls(calls: TimedCall[], requests: number): Promise<number[][]> {
  const sessions = await Promise.all(
    calls.map(async ({ port }) => {
      const session = http2.connect(`http://127.0.0.1:${port}`);
      await once(session, "connect");
      return session;
    }),
  );
  const milliseconds = calls.map((): number[] => []);
  try {
    for (let i = 0; i < requests + warmUpCalls; i++) {
      for (const [index, call] of calls.entries()) {
        const ms = await timeCall(sessions[index], call, call.body(i));
        if (i >= warmUpCalls) milliseconds[index].push(ms);
      }
    }
  } finally {
    for (const session of sessions) session.close();
  }
  return milliseconds.map((list) => list.sort((a, b) => a - b));
}

async function timeCall(session: http2.ClientHttp2Session, call: TimedCall, body: Buffer): Promise<number> {
  const { firstBytesMs, endMs } = await callGrpc(session, call.path, body);
  return call.until === "end" ? endMs : firstBytesMs;
}

/** One gRPC call that must succeed: milliseconds from sending it to its first DATA bytes and to its end. */
export function callGrpc(
  session: http2.ClientHttp2Session,
  path: string,
  body: Buffer,
  headers: http2.OutgoingHttpHeaders = {},
): Promise<{ firstBytesMs: number; endMs: number }> {
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    let firstBytesMs = NaN;
    const stream = session.request({ ...headers, ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
    stream.on("data", () => {
      if (Number.isNaN(firstBytesMs)) firstBytesMs = performance.now() - sent;
    });
    stream.on("trailers", (trailers) => {
      if (trailers["grpc-status"] !== "0") reject(new Error(`${path} failed: grpc-status ${trailers["grpc-status"]} ${trailers["grpc-message"] ?? ""}`));
    });
    stream.on("end", () => resolve({ firstBytesMs, endMs: performance.now() - sent }));
    stream.on("error", reject);
    stream.end(body);
  });
}

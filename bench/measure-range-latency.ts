import { once } from "node:events";
import http2 from "node:http2";
import type { ChildServer } from "./child-server.js";
import type { Result } from "./results.js";
import { streamReadingsPath, streamRequest } from "./stream-protocols.js";
import { stepMs, syntheticTime } from "./synthetic-readings.js";

const dayMs = 86_400_000;

/**
 * Time to the first reading of a one-day StreamReadings over gRPC h2c, on one warm connection,
 * for days spread over the whole store. Latency, unlike throughput, is what a client here sees,
 * so the client is this process, timing from sending the request to the first DATA bytes.
 */
export async function measureRangeLatency(server: ChildServer, size: number, requests: number): Promise<Result> {
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  await once(session, "connect");
  const days = Math.floor((size * stepMs) / dayMs);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < requests + 10; i++) {
      const start = syntheticTime(0) + ((i * 7919) % days) * dayMs;
      const firstBytesMs = await timeFirstBytes(session, streamRequest({ start, end: start + dayMs }));
      // The first requests warm the JIT and the connection up; they are not counted.
      if (i >= 10) latencies.push(firstBytesMs);
    }
  } finally {
    session.close();
  }
  latencies.sort((a, b) => a - b);
  const at = (fraction: number) => latencies[Math.min(latencies.length - 1, Math.floor(fraction * latencies.length))];
  const totalSeconds = latencies.reduce((sum, ms) => sum + ms, 0) / 1000;
  const p50Ms = at(0.5);
  return {
    size,
    name: "one-day range, time to first reading (gRPC h2c)",
    rows: requests * (dayMs / stepMs),
    bytes: 0,
    seconds: totalSeconds,
    rowsPerSecond: NaN,
    megabytesPerSecond: NaN,
    peakRssMb: NaN,
    runs: requests,
    comparisons: [],
    goals: [{ text: `one-day range: time to first reading p50 < 5 ms (store of ${size})`, met: p50Ms < 5 }],
    latency: { p50Ms, p90Ms: at(0.9), p99Ms: at(0.99), requests },
  };
}

/** Milliseconds from sending the request to the first bytes of the response body. */
function timeFirstBytes(session: http2.ClientHttp2Session, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    let firstBytesMs = NaN;
    const stream = session.request({
      ":method": "POST",
      ":path": streamReadingsPath,
      "content-type": "application/grpc",
      te: "trailers",
    });
    stream.on("data", () => {
      if (Number.isNaN(firstBytesMs)) firstBytesMs = performance.now() - sent;
    });
    stream.on("trailers", (trailers) => {
      if (trailers["grpc-status"] !== "0") reject(new Error(`one-day stream failed: grpc-status ${trailers["grpc-status"]}`));
    });
    stream.on("end", () => resolve(firstBytesMs));
    stream.on("error", reject);
    stream.end(body);
  });
}

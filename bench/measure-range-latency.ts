import type { ChildServer } from "./child-server.js";
import { timeCalls } from "./grpc-latency.js";
import { latencyResult, type Result } from "./results.js";
import { streamReadingsPath, streamRequest, type StreamedRange } from "./stream-protocols.js";
import { stepMs, syntheticMeter, syntheticTime } from "./synthetic-readings.js";

export const dayMs = 86_400_000;
/** A prime step through the days, so that the requested days spread over the whole store. */
export const dayStride = 7919;

/** Time to the first reading of a one-day StreamReadings over gRPC h2c, for days spread over the whole store. */
export async function measureRangeLatency(server: ChildServer, size: number, requests: number): Promise<Result> {
  const days = Math.floor((size * stepMs) / dayMs);
  const [milliseconds] = await timeCalls([{ port: server.port, path: streamReadingsPath, until: "first message", body: (i) => streamRequest(singleMeterDay(i, days)) }], requests);
  const measured = latencyResult(size, "one-day range, time to first reading (gRPC h2c)", milliseconds, requests * (dayMs / stepMs));
  measured.goals.push({ text: `one-day range: time to first reading p50 < 5 ms (store of ${size})`, met: measured.latency!.p50Ms < 5 });
  return measured;
}

/** The i-th one-day range of a synthetic single-meter store of `days` days. */
export function singleMeterDay(i: number, days: number): StreamedRange {
  const start = syntheticTime(0) + ((i * dayStride) % days) * dayMs;
  return { meter: syntheticMeter, start, end: start + dayMs };
}

import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { once } from "node:events";
import http2 from "node:http2";
import { AppendReadingsRequestSchema } from "../gen/meterusage/v1/meterusage_pb.js";
import type { ChildServer } from "./child-server.js";
import { fleetMeter, fleetYear } from "./fleet-readings.js";
import { callGrpc } from "./grpc-latency.js";
import { dayMs } from "./measure-range-latency.js";
import { latencyResult, type Result } from "./results.js";
import { envelope } from "./stream-protocols.js";
import { stepMs } from "./synthetic-readings.js";

const appendPath = "/meterusage.v1.MeterUsageService/AppendReadings";
const warmUpCalls = 10;

export const lateWriteResultName = (label: string) => `${label}: a late reading into last year, AppendReadings (gRPC h2c)`;

/**
 * AppendReadings of one reading each, durable, one after another: into an old, already stored
 * stretch of a meter's year (between two of its readings, on another meter and day each
 * time), in turns with appends at the tail of a meter, which is the live case. The server
 * must take `ingestToken`.
 */
export async function measureLateWrites(server: ChildServer, meters: number, size: number, requests: number, ingestToken: string, label = "fleet"): Promise<Result[]> {
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  await once(session, "connect");
  const append = (meter: string, time: number) => {
    const request = create(AppendReadingsRequestSchema, { meter, readings: [{ time: timestampFromMs(time), value: 42.42 }] });
    return callGrpc(session, appendPath, envelope(toBinary(AppendReadingsRequestSchema, request)), { authorization: `Bearer ${ingestToken}` });
  };
  const meter = (i: number) => fleetMeter((i * 89) % meters);
  // Half-way between two stored readings, and a millisecond a call further, so no two calls write the same time.
  const late = (i: number) => fleetYear.start + ((i * 101) % 364) * dayMs + ((i * 37) % 95) * stepMs + stepMs / 2 + i;
  const tail = (i: number) => fleetYear.end + i * stepMs;
  const times = { late: [] as number[], tail: [] as number[] };
  try {
    for (let i = 0; i < requests + warmUpCalls; i++) {
      const lateMs = (await append(meter(i), late(i))).endMs;
      const tailMs = (await append(meter(i), tail(i))).endMs;
      if (i >= warmUpCalls) {
        times.late.push(lateMs);
        times.tail.push(tailMs);
      }
    }
  } finally {
    session.close();
  }
  const sorted = (list: number[]) => list.sort((a, b) => a - b);
  const lateResult = latencyResult(size, lateWriteResultName(label), sorted(times.late), requests, "one reading a call, each another meter and day of 2019, between two stored readings");
  const tailResult = latencyResult(size, `${label}: a reading at a meter's tail, AppendReadings (gRPC h2c)`, sorted(times.tail), requests, "the live case, in turns with the late ones");
  lateResult.note += `; p50 ${(lateResult.latency!.p50Ms / tailResult.latency!.p50Ms).toFixed(2)}x the tail's`;
  return [lateResult, tailResult];
}

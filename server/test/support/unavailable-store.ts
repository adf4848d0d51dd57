import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../../gen/grpc/health/v1/health_pb.js";
import { MeterUsageService, Period } from "../../../gen/meterusage/v1/meterusage_pb.js";
import type { Reading } from "../../src/readings/reading.js";

/** What a client is told while the store is away, word for word. */
export const unavailableMessage = "the store is unavailable (it cannot be reached or written just now): try again shortly";

/** Stores readings with POST /api/readings; answers the HTTP status. */
export async function postReadings(baseUrl: string, token: string, meter: string, readings: Reading[]): Promise<number> {
  const response = await fetch(`${baseUrl}/api/readings?meter=${meter}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ readings: readings.map(({ time, value }) => ({ time: new Date(time).toISOString(), value })) }),
  });
  await response.arrayBuffer();
  return response.status;
}

export async function storedTimes(baseUrl: string, meter: string): Promise<Set<number>> {
  const response = await fetch(`${baseUrl}/api/readings?meter=${meter}`);
  assert.equal(response.status, 200);
  const { readings } = (await response.json()) as { readings: { time: string }[] };
  return new Set(readings.map(({ time }) => Date.parse(time)));
}

/**
 * Asks /healthz until it says `status`, for at most `withinMs` (generous: the machine may be
 * loaded); answers how long that took, which tests report but never assert.
 */
export async function untilHealth(baseUrl: string, status: "SERVING" | "NOT_SERVING", withinMs = 20_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const response = await fetch(`${baseUrl}/healthz`);
    const body = (await response.json()) as { status: string };
    if (body.status === status) {
      assert.equal(response.status, status === "SERVING" ? 200 : 503);
      return performance.now() - started;
    }
    assert.ok(performance.now() - started < withinMs, `/healthz still said ${body.status} after ${withinMs} ms`);
    await sleep(50);
  }
}

/** The gRPC health Watch of the whole server, every status it sends, in order. */
export function watchHealth(baseUrl: string): { statuses: string[]; stop(): void } {
  const abort = new AbortController();
  const statuses: string[] = [];
  const client = createClient(Health, createGrpcTransport({ baseUrl }));
  void (async () => {
    for await (const { status } of client.watch({}, { signal: abort.signal })) statuses.push(ServingStatus[status]);
  })().catch(() => {});
  return { statuses, stop: () => abort.abort() };
}

export async function checkHealth(baseUrl: string): Promise<string> {
  return ServingStatus[(await createClient(Health, createGrpcTransport({ baseUrl })).check({})).status];
}

function isUnavailable(error: unknown): boolean {
  const connectError = ConnectError.from(error);
  assert.equal(connectError.code, Code.Unavailable, connectError.message);
  assert.equal(connectError.rawMessage, unavailableMessage);
  return true;
}

/** Every way of writing `meter` is refused with 503 / Unavailable, saying that the store is unavailable. */
export async function assertWritesUnavailable(baseUrl: string, token: string, meter: string, time: number): Promise<void> {
  const response = await fetch(`${baseUrl}/api/readings?meter=${meter}`, {
    method: "POST",
    headers: { "content-type": "text/csv", authorization: `Bearer ${token}` },
    body: `time,${meter}\n${new Date(time).toISOString()},1\n`,
  });
  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "1");
  assert.deepEqual(await response.json(), { error: unavailableMessage });
  for (const transport of [createGrpcTransport({ baseUrl }), createConnectTransport({ baseUrl, httpVersion: "1.1" })]) {
    const client = createClient(MeterUsageService, transport);
    const requests = (async function* () {
      yield { meter, readings: [{ time: timestampFromMs(time), value: 1 }] };
    })();
    await assert.rejects(client.appendReadings(requests, { headers: { authorization: `Bearer ${token}` } }), isUnavailable);
  }
}

/** Every way of reading `meter` is refused with 503 / Unavailable, saying that the store is unavailable. */
export async function assertReadsUnavailable(baseUrl: string, meter: string): Promise<void> {
  for (const path of ["/api/meters", `/api/readings?meter=${meter}`, `/api/readings?meter=${meter}&format=csv`, `/api/usage?meter=${meter}&period=day`]) {
    const response = await fetch(`${baseUrl}${path}`);
    assert.equal(response.status, 503, path);
    assert.deepEqual(await response.json(), { error: unavailableMessage }, path);
  }
  for (const transport of [createGrpcTransport({ baseUrl }), createConnectTransport({ baseUrl, httpVersion: "1.1" })]) {
    const client = createClient(MeterUsageService, transport);
    await assert.rejects(client.listMeters({}), isUnavailable);
    await assert.rejects(client.getSummary({ meter }), isUnavailable);
    await assert.rejects(client.getUsage({ meters: [meter], period: Period.DAY }), isUnavailable);
    await assert.rejects(async () => {
      for await (const message of client.streamReadings({ meter })) void message;
    }, isUnavailable);
  }
}

import assert from "node:assert/strict";
import { createClient } from "@connectrpc/connect";
import { after, before, describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { collectStream } from "./support/collect-stream.js";
import { referenceData } from "./support/reference-data.js";
import { startTestServer, type TestServer } from "./support/test-server.js";
import { everyTransport } from "./support/transports.js";

/** The value of one sample of the Prometheus text, or 0 when it is not there yet. */
function sample(metrics: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of metrics.split("\n")) {
    const match = /^([^{\s]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const present = (match[2] ?? "").split(",");
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return 0;
}

describe("logs and metrics", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  const scrape = async () => {
    const response = await fetch(`${server.baseUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /^text\/plain/);
    return response.text();
  };

  it("writes one JSON line per request with protocol, procedure, code, duration and rows sent", async () => {
    server.logEntries.length = 0;
    for (const [, make] of [everyTransport[0], everyTransport[1], everyTransport[3]]) {
      await collectStream(createClient(MeterUsageService, make(server.baseUrl)).streamReadings({}));
    }
    await fetch(`${server.baseUrl}/api/readings`).then((response) => response.text());
    await fetch(`${server.baseUrl}/api/readings?start=nonsense`).then((response) => response.text());
    const requests = server.logEntries.filter((entry) => entry.msg === "request");
    assert.deepEqual(
      requests.map(({ protocol, procedure, code, rowsSent }) => ({ protocol, procedure, code, rowsSent })),
      [
        { protocol: "grpc", procedure: "/meterusage.v1.MeterUsageService/StreamReadings", code: "ok", rowsSent: referenceData.count },
        { protocol: "grpc-web", procedure: "/meterusage.v1.MeterUsageService/StreamReadings", code: "ok", rowsSent: referenceData.count },
        { protocol: "connect", procedure: "/meterusage.v1.MeterUsageService/StreamReadings", code: "ok", rowsSent: referenceData.count },
        { protocol: "http", procedure: "GET /api/readings", code: "200", rowsSent: referenceData.count },
        { protocol: "http", procedure: "GET /api/readings", code: "400", rowsSent: 0 },
      ],
    );
    assert.ok(requests.every((entry) => typeof entry.durationMs === "number" && entry.durationMs >= 0));
  });

  it("counts requests, rows and streams in /metrics, and the counters move with traffic", async () => {
    const before = await scrape();
    const client = createClient(MeterUsageService, everyTransport[0][1](server.baseUrl));
    await collectStream(client.streamReadings({}));
    await client.getSummary({ start: { seconds: 10n, nanos: 0 }, end: { seconds: 5n, nanos: 0 } }).catch(() => undefined);
    const after = await scrape();

    const moved = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    assert.equal(moved("meterusage_requests_total", { protocol: "grpc", procedure: "/meterusage.v1.MeterUsageService/StreamReadings", code: "ok" }), 1);
    assert.equal(moved("meterusage_requests_total", { protocol: "grpc", procedure: "/meterusage.v1.MeterUsageService/GetSummary", code: "invalid_argument" }), 1);
    assert.equal(moved("meterusage_rows_streamed_total", { protocol: "grpc" }), referenceData.count);
    assert.equal(moved("meterusage_stream_duration_seconds_count", { protocol: "grpc", procedure: "/meterusage.v1.MeterUsageService/StreamReadings" }), 1);
    assert.equal(sample(after, "meterusage_open_streams", { protocol: "grpc" }), 0);
    assert.equal(sample(after, "meterusage_store_readings", {}), referenceData.count);
    assert.ok(sample(after, "meterusage_process_resident_memory_bytes", {}) > 0);
  });
});

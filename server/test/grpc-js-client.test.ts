import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { after, before, describe, it } from "node:test";
import { loadClientConstructor } from "./support/grpc-js-client.js";
import { referenceData } from "./support/reference-data.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

interface WireTimestamp {
  seconds: string;
  nanos?: number;
}
interface WireReading {
  time: WireTimestamp;
  value?: number;
}

const millis = (timestamp: WireTimestamp) => Number(timestamp.seconds) * 1000 + (timestamp.nanos ?? 0) / 1e6;

describe("a @grpc/grpc-js client", () => {
  let server: TestServer;
  let client: grpc.Client & Record<string, Function>;

  before(async () => {
    server = await startTestServer();
    const MeterUsageService = loadClientConstructor();
    client = new MeterUsageService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as typeof client;
  });
  after(async () => {
    client.close();
    await server.close();
  });

  it("streams all 2,975 readings", async () => {
    const readings: WireReading[] = [];
    const call = client.streamReadings({}) as grpc.ClientReadableStream<{ readings: WireReading[] }>;
    for await (const response of call) readings.push(...response.readings);
    assert.equal(readings.length, referenceData.count);
    assert.equal(millis(readings[0].time), Date.parse(referenceData.first.time));
    assert.equal(readings[0].value, referenceData.first.value);
    const missing = readings.filter((reading) => reading.value === undefined);
    assert.deepEqual(missing.map((reading) => millis(reading.time)), [Date.parse(referenceData.missingTime)]);
  });

  it("gets the same summary", async () => {
    const summary = await new Promise<Record<string, unknown>>((resolve, reject) =>
      client.getSummary({}, (error: grpc.ServiceError | null, response: Record<string, unknown>) =>
        error ? reject(error) : resolve(response),
      ),
    );
    assert.equal(summary.count, String(referenceData.count));
    assert.equal(summary.missingCount, "1");
    assert.equal(summary.min, referenceData.min);
    assert.equal(summary.max, referenceData.max);
  });

  it("lists the meters, and reads, writes and refuses by meter", async () => {
    const call = <T>(method: string, request: object) =>
      new Promise<T>((resolve, reject) =>
        client[method](request, (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response))),
      );
    const { meters } = await call<{ meters: Record<string, unknown>[] }>("listMeters", {});
    assert.deepEqual(meters.map(({ name, count }) => [name, count]), [["meterusage", String(referenceData.count)]]);
    assert.equal(millis(meters[0].firstTime as WireTimestamp), Date.parse(referenceData.first.time));
    const named = await call<{ count: string }>("getSummary", { meter: "meterusage" });
    assert.equal(named.count, String(referenceData.count));
    const unknown = await call("getSummary", { meter: "flat-7" }).catch((error: grpc.ServiceError) => error);
    assert.equal((unknown as grpc.ServiceError).code, grpc.status.NOT_FOUND);
    assert.equal(decodeURIComponent((unknown as grpc.ServiceError).details), 'there is no meter "flat-7"');
    const invalid = await call("getSummary", { meter: "flat 7" }).catch((error: grpc.ServiceError) => error);
    assert.equal((invalid as grpc.ServiceError).code, grpc.status.INVALID_ARGUMENT);
    const readings: WireReading[] = [];
    const stream = client.streamReadings({ meter: "meterusage", end: { seconds: 1546301700 + 1800 } }) as grpc.ClientReadableStream<{ readings: WireReading[] }>;
    for await (const response of stream) readings.push(...response.readings);
    assert.equal(readings.length, 2);
  });

  it("gets usage per day, decoded by another protobuf implementation than the one that wrote it", async () => {
    // 2019-01-02 and 2019-01-03 in UTC: 96 readings each, the bundled data's second and third days.
    const request = { meters: ["meterusage"], period: "PERIOD_DAY", start: { seconds: 1546387200 }, end: { seconds: 1546560000 } };
    const usage = await new Promise<{ timeZone: string; meters: { meter: string; periods: Record<string, unknown>[] }[]; total?: unknown[] }>((resolve, reject) =>
      client.getUsage(request, (error: grpc.ServiceError | null, response: never) => (error ? reject(error) : resolve(response))),
    );
    assert.equal(usage.timeZone, "UTC");
    assert.equal(usage.total?.length ?? 0, 0, "no total for one meter");
    assert.equal(usage.meters[0].meter, "meterusage");
    const [first, second] = usage.meters[0].periods;
    assert.equal(millis(first.start as WireTimestamp), Date.UTC(2019, 0, 2));
    assert.equal(millis(second.end as WireTimestamp), Date.UTC(2019, 0, 4));
    assert.equal(first.count, "96");
    assert.ok(Math.abs((first.sum as number) - 15603.29) < 1e-6, `sum ${first.sum}`);
    assert.equal(first.min, 45.97);
    assert.equal(first.max, 270.87);
  });

  it("gets INVALID_ARGUMENT for a start after the end", async () => {
    const request = { start: { seconds: 1546387200 }, end: { seconds: 1546300800 } };
    const error = await new Promise<grpc.ServiceError>((resolve) =>
      client.getSummary(request, (failure: grpc.ServiceError) => resolve(failure)),
    );
    assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
    // connect-node percent-encodes grpc-message with encodeURIComponent, and grpc-js decodes it
    // with decodeURI, which leaves reserved characters such as ':' encoded.
    assert.equal(decodeURIComponent(error.details), "start (2019-01-02T00:00:00Z) is after end (2019-01-01T00:00:00Z)");
  });
});

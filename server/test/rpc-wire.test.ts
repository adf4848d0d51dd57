import assert from "node:assert/strict";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { after, before, describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { readingsPerLaterMessage, readingsPerMessage } from "../src/rpc/meter-usage-service.js";
import { collectStream } from "./support/collect-stream.js";
import { referenceData } from "./support/reference-data.js";
import { startTestServer, type TestServer } from "./support/test-server.js";
import { everyTransport } from "./support/transports.js";

const day = (text: string) => timestampFromMs(Date.parse(text));

describe("MeterUsageService over the wire", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  for (const [name, makeTransport] of everyTransport) {
    describe(name, () => {
      let client: Client<typeof MeterUsageService>;
      before(() => (client = createClient(MeterUsageService, makeTransport(server.baseUrl))));

      it("streams every reading in batches, the missing one without a value", async () => {
        const { readings, messages } = await collectStream(client.streamReadings({}));
        assert.equal(readings.length, referenceData.count);
        // The first message carries readingsPerMessage, the rest of the first batch of
        // readingsPerLaterMessage the second, each later batch one more.
        assert.ok(referenceData.count > readingsPerMessage);
        assert.equal(messages, 1 + Math.ceil(referenceData.count / readingsPerLaterMessage));
        assert.deepEqual(readings[0], { time: Date.parse(referenceData.first.time), value: referenceData.first.value });
        const missing = readings.filter((reading) => reading.value === null);
        assert.deepEqual(missing.map((reading) => reading.time), [Date.parse(referenceData.missingTime)]);
      });

      it("streams a half-open range", async () => {
        const { readings } = await collectStream(
          client.streamReadings({ start: day("2019-01-02T00:00:00Z"), end: day("2019-01-03T00:00:00Z") }),
        );
        assert.equal(readings.length, 96);
        assert.equal(readings[0].time, Date.parse("2019-01-02T00:00:00Z"));
        assert.equal(readings.at(-1)!.time, Date.parse("2019-01-02T23:45:00Z"));
      });

      it("summarizes the whole data set", async () => {
        const summary = await client.getSummary({});
        assert.equal(summary.count, BigInt(referenceData.count));
        assert.equal(summary.missingCount, 1n);
        assert.equal(timestampMs(summary.firstTime!), Date.parse(referenceData.first.time));
        assert.equal(timestampMs(summary.lastTime!), Date.parse(referenceData.last.time));
        assert.equal(summary.min, referenceData.min);
        assert.equal(summary.max, referenceData.max);
        assert.ok(Math.abs(summary.mean! * referenceData.valueCount - summary.sum) < 1e-6);
      });

      it("summarizes an empty range with no min, max or mean", async () => {
        const summary = await client.getSummary({ start: day("2030-01-01T00:00:00Z") });
        assert.equal(summary.count, 0n);
        assert.equal(summary.min, undefined);
        assert.equal(summary.mean, undefined);
        assert.equal(summary.firstTime, undefined);
      });

      it("refuses a start after the end with InvalidArgument on both methods", async () => {
        const request = { start: day("2019-01-03T00:00:00Z"), end: day("2019-01-02T00:00:00Z") };
        const expected = (error: unknown) => {
          assert.ok(error instanceof ConnectError);
          assert.equal(error.code, Code.InvalidArgument);
          assert.equal(error.rawMessage, "start (2019-01-03T00:00:00Z) is after end (2019-01-02T00:00:00Z)");
          return true;
        };
        await assert.rejects(collectStream(client.streamReadings(request)), expected);
        await assert.rejects(client.getSummary(request), expected);
      });

      it("refuses a timestamp outside what protobuf allows with InvalidArgument", async () => {
        await assert.rejects(client.getSummary({ start: { seconds: 0n, nanos: -1 } }), (error: unknown) => {
          assert.ok(error instanceof ConnectError);
          assert.equal(error.code, Code.InvalidArgument);
          assert.match(error.rawMessage, /^start is not a valid timestamp/);
          return true;
        });
      });
    });
  }

  it("stops reading the store when a client cancels a stream", async () => {
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const abort = new AbortController();
    let received = 0;
    await assert.rejects(async () => {
      for await (const response of client.streamReadings({}, { signal: abort.signal })) {
        received += response.readings.length;
        abort.abort();
      }
    }, (error: unknown) => ConnectError.from(error).code === Code.Canceled);
    assert.equal(received, readingsPerMessage);
    assert.deepEqual(server.loggedErrors, []);
  });
});

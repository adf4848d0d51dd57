import assert from "node:assert/strict";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { after, before, describe, it } from "node:test";
import { MeterUsageService, ReadingSchema, StreamReadingsResponseSchema } from "../../gen/meterusage/v1/meterusage_pb.js";
import type { Reading } from "../src/readings/reading.js";
import { encodeReadings, preEncodedResponse, readingsCarried } from "../src/rpc/encoded-readings.js";
import { collectStream } from "./support/collect-stream.js";
import { startTestServer, type TestServer } from "./support/test-server.js";
import type { TransportFactory } from "./support/transports.js";

/** What protobuf-es itself writes for the same readings. */
function reference(readings: Reading[]): Uint8Array {
  const message = create(StreamReadingsResponseSchema, {
    readings: readings.map(({ time, value }) => create(ReadingSchema, { time: timestampFromMs(time), value: value ?? undefined })),
  });
  return toBinary(StreamReadingsResponseSchema, message);
}

const edgeReadings: Reading[] = [
  { time: Date.UTC(2019, 0, 1, 0, 15), value: 55.09 },
  { time: 0, value: 0 },
  { time: 1, value: -0 },
  { time: -1, value: null },
  { time: -1000, value: -1.5 },
  { time: -62_135_596_800_000, value: Number.MAX_VALUE },
  { time: 253_402_300_799_999, value: Number.MIN_VALUE },
  { time: 2 ** 32 * 1000 + 999, value: 1e-300 },
  { time: 2 ** 35 * 1000, value: null },
  { time: 127_999, value: 127 },
  { time: 128_000, value: 128 },
];

describe("StreamReadings batches encoded without message objects", () => {
  it("are the bytes protobuf-es writes, for every kind of time and value", () => {
    assert.deepEqual(encodeReadings(edgeReadings), reference(edgeReadings));
    assert.deepEqual(encodeReadings([]), reference([]));
  });

  it("stay exact for batches larger than any seen before", () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ time: Date.UTC(2030, 0, 1) + i * 900_001, value: i % 7 === 0 ? null : i / 3 }));
    assert.deepEqual(encodeReadings(many), reference(many));
    assert.deepEqual(encodeReadings(edgeReadings), reference(edgeReadings));
  });

  it("serialize through toBinary as the whole message, and count their readings", () => {
    const message = preEncodedResponse(edgeReadings);
    const bytes = toBinary(StreamReadingsResponseSchema, message);
    assert.deepEqual(bytes, reference(edgeReadings));
    assert.equal(fromBinary(StreamReadingsResponseSchema, bytes).readings.length, edgeReadings.length);
    assert.equal(readingsCarried(message), edgeReadings.length);
    assert.equal(readingsCarried(preEncodedResponse([])), 0);
  });
});

describe("StreamReadings for clients that ask for JSON", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  const jsonClients: [name: string, make: TransportFactory][] = [
    ["gRPC", (baseUrl) => createGrpcTransport({ baseUrl, useBinaryFormat: false })],
    ["gRPC-Web", (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false })],
    ["Connect", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false })],
  ];
  for (const [name, make] of jsonClients) {
    it(`sends the same readings over ${name} with JSON as with binary`, async () => {
      const binary = await collectStream(createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl })).streamReadings({}));
      const json = await collectStream(createClient(MeterUsageService, make(server.baseUrl)).streamReadings({}));
      assert.ok(json.readings.length > 0);
      assert.deepEqual(json, binary);
    });
  }
});

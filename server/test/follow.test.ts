import assert from "node:assert/strict";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { MeterUsageService, type StreamReadingsResponse } from "../../gen/meterusage/v1/meterusage_pb.js";
import { referenceData } from "./support/reference-data.js";
import { storedReadings } from "./support/stored-readings.js";
import { startTestServer, type TestServer } from "./support/test-server.js";
import type { TransportFactory } from "./support/transports.js";

const token = "follow-token";
const heartbeatMs = 50;

const followers: [name: string, make: TransportFactory][] = [
  ["gRPC", (baseUrl) => createGrpcTransport({ baseUrl })],
  ["gRPC-Web", (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1" })],
  ["Connect", (baseUrl) => createConnectTransport({ baseUrl, httpVersion: "1.1" })],
];

/** Reads a follow stream message by message. */
class Follower {
  private readonly messages: AsyncIterator<StreamReadingsResponse>;
  readonly abort = new AbortController();

  constructor(server: TestServer, make: TransportFactory, request: { start?: number; end?: number }) {
    const client = createClient(MeterUsageService, make(server.baseUrl));
    this.messages = client
      .streamReadings(
        {
          start: request.start === undefined ? undefined : timestampFromMs(request.start),
          end: request.end === undefined ? undefined : timestampFromMs(request.end),
          follow: true,
        },
        { signal: this.abort.signal },
      )
      [Symbol.asyncIterator]();
  }

  /** The next message; an empty one is a heartbeat. */
  async next(): Promise<StreamReadingsResponse | undefined> {
    const result = await this.messages.next();
    return result.done ? undefined : result.value;
  }

  /** The next readings, skipping heartbeats. */
  async nextReadings(): Promise<{ time: number; value: number | null }[]> {
    for (;;) {
      const message = await this.next();
      assert.ok(message, "the stream ended while readings were expected");
      if (message.readings.length > 0) return message.readings.map((r) => ({ time: timestampMs(r.time!), value: r.value ?? null }));
    }
  }
}

describe("following new readings", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ ingestToken: token, follow: { heartbeatMs, maxQueued: 1000 } })));
  after(() => server.close());

  const appendOverRpc = async (time: number, value: number) => {
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl }));
    await client.appendReadings(
      (async function* () {
        yield { readings: [{ time: timestampFromMs(time), value }] };
      })(),
      { headers: { authorization: `Bearer ${token}` } },
    );
  };
  const appendOverHttp = async (time: number, value: number, type: "text/csv" | "application/json") => {
    const iso = new Date(time).toISOString();
    const body = type === "text/csv" ? `time,meterusage\n${iso},${value}\n` : JSON.stringify({ readings: [{ time: iso, value }] });
    const response = await fetch(`${server.baseUrl}/api/readings`, {
      method: "POST",
      body,
      headers: { "content-type": type, authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200);
  };

  followers.forEach(([name, make], index) => {
    // How soon a reading arrives is measured by the bench; here, that each arrives, once and in order.
    it(`a ${name} follower sees each reading of every ingest path as it is stored, once and in order`, async () => {
      const start = Date.UTC(2020, index, 1);
      const follower = new Follower(server, make, { start });
      const first = await follower.next();
      assert.deepEqual(first?.readings, [], "an empty range sends a heartbeat first");

      const appends: [string, (time: number, value: number) => Promise<void>][] = [
        ["AppendReadings", appendOverRpc],
        ["POST text/csv", (time, value) => appendOverHttp(time, value, "text/csv")],
        ["POST application/json", (time, value) => appendOverHttp(time, value, "application/json")],
      ];
      for (const [i, [path, append]] of appends.entries()) {
        const time = start + i * 900_000;
        const [readings] = await Promise.all([follower.nextReadings(), append(time, i + 0.5)]);
        assert.deepEqual(readings, [{ time, value: i + 0.5 }], path);
      }
      follower.abort.abort();
    });
  });

  it("sends the stored readings of the range first, then the new ones", async () => {
    const start = Date.parse("2019-01-31T00:00:00Z");
    const expected = await storedReadings(server.store, { start });
    assert.equal(expected[95].time, Date.parse(referenceData.last.time), "January 31 has 96 readings");
    const follower = new Follower(server, followers[0][1], { start });
    const stored = await follower.nextReadings();
    assert.deepEqual(stored, expected);
    const time = Date.parse("2019-02-01T00:00:00Z");
    const [fresh] = await Promise.all([follower.nextReadings(), appendOverRpc(time, 7)]);
    assert.deepEqual(fresh, [{ time, value: 7 }]);
    follower.abort.abort();
  });

  it("ends the stream by itself when the range's end passes", async () => {
    const end = Date.now() + 1000;
    const follower = new Follower(server, followers[0][1], { start: end - 3_600_000, end });
    const inside = end - 60_000;
    const [arrived] = await Promise.all([follower.nextReadings(), appendOverRpc(inside, 1)]);
    assert.deepEqual(arrived, [{ time: inside, value: 1 }]);
    for (let message = await follower.next(); message !== undefined; message = await follower.next()) {
      assert.deepEqual(message.readings, []);
    }
    assert.ok(Date.now() >= end);
  });

  it("leaves no listener or timer behind when a follower goes away", async () => {
    const noFollowersLeft = async () => {
      for (let waited = 0; server.store.feed.listenerCount > 0 && waited < 2000; waited += 10) await sleep(10);
      assert.equal(server.store.feed.listenerCount, 0, "a follower still listens after leaving");
    };
    await noFollowersLeft();
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    for (const [, make] of followers) {
      const follower = new Follower(server, make, { start: Date.UTC(2021, 0, 1) });
      await follower.next();
      assert.equal(server.store.feed.listenerCount, 1);
      follower.abort.abort();
      await noFollowersLeft();
    }
    await sleep(heartbeatMs * 2);
    const timersAfter = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    assert.ok(timersAfter <= timersBefore, `timers before ${timersBefore}, after ${timersAfter}`);
  });
});

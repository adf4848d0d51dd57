import assert from "node:assert/strict";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import type { Bucket } from "../src/readings/bucket.js";
import type { Reading, TimeRange } from "../src/readings/reading.js";
import { bucketWidth, downsample } from "../src/store/downsample.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { referenceData } from "./support/reference-data.js";
import { storedReadings } from "./support/stored-readings.js";
import { startTestServer, temporaryFolder, type TestServer } from "./support/test-server.js";

const step = 900_000;

/** Buckets computed the slow, obvious way from every reading, to check the store's against. */
function bruteForce(readings: Reading[], start: number, end: number, width: number): Bucket[] {
  const byIndex = new Map<number, Reading[]>();
  for (const reading of readings.filter((r) => r.time >= start && r.time < end)) {
    const index = Math.floor((reading.time - start) / width);
    byIndex.set(index, [...(byIndex.get(index) ?? []), reading]);
  }
  return [...byIndex.entries()]
    .sort(([a], [b]) => a - b)
    .map(([index, members]) => {
      const values = members.map((m) => m.value).filter((v): v is number => v !== null);
      return {
        start: start + index * width,
        end: Math.min(start + (index + 1) * width, end),
        count: values.length,
        missingCount: members.length - values.length,
        min: values.length ? Math.min(...values) : undefined,
        max: values.length ? Math.max(...values) : undefined,
        mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined,
      };
    });
}

function assertSameBuckets(actual: Bucket[], expected: Bucket[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((bucket, i) => {
    const { mean, ...rest } = bucket;
    const { mean: expectedMean, ...expectedRest } = expected[i];
    assert.deepEqual(rest, expectedRest);
    if (expectedMean === undefined) assert.equal(mean, undefined);
    else assert.ok(Math.abs(mean! - expectedMean) < 1e-9, `mean ${mean} vs ${expectedMean}`);
  });
}

describe("downsampling", () => {
  let folder: string;
  let store: SqliteStore;
  let all: Reading[];

  before(async () => {
    folder = temporaryFolder();
    store = new SqliteStore(join(folder, "downsample.db"));
    const start = Date.UTC(2019, 0, 1);
    const values = [1, 2, 3, 4, null, null, 7, 8, 9, null];
    all = values.map((value, i) => ({ time: start + i * step, value }));
    await store.appendReadings([{ meter: "meterusage", readings: all }]);
  });
  after(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("sends the readings as they are when the range holds no more than max_points", async () => {
    assert.equal(await downsample(store, "meterusage", {}, 10), undefined);
  });

  it("makes buckets span whole days, hours, minutes or seconds, keeping nine tenths of those asked for", async () => {
    const hour = 3_600_000;
    const day = 24 * hour;
    assert.equal(bucketWidth(31 * day, 3), 11 * day);
    assert.equal(bucketWidth(2 * day + 7, 20), 145 * 60_000);
    assert.equal(bucketWidth(900_001, 10), 91_000);
    assert.equal(bucketWidth(95, 10), 10);
    for (const [span, maxPoints] of [[31 * day, 3], [10 * step + 7, 3], [1e12, 1150], [123_457, 1000]]) {
      const width = bucketWidth(span, maxPoints);
      assert.ok(Math.ceil(span / width) <= maxPoints, "at most maxPoints buckets");
      assert.ok(Math.ceil(span / width) >= Math.floor(maxPoints * 0.9), "at least nine tenths of them");
    }
    const range = { start: all[0].time, end: all[0].time + 10 * step + 7 };
    const buckets = (await downsample(store, "meterusage", range, 3))!;
    for (const bucket of buckets.slice(0, -1)) assert.equal((bucket.end - bucket.start) % 60_000, 0);
    assert.equal(buckets.at(-1)!.end, range.end);
  });

  it("makes equal buckets from the range's start, the last one ending with the range", async () => {
    const range = { start: all[0].time, end: all[0].time + 10 * step };
    const buckets = (await downsample(store, "meterusage", range, 4))!;
    const width = bucketWidth(10 * step, 4);
    assertSameBuckets(buckets, bruteForce(all, range.start, range.end, width));
    assert.ok(buckets.length <= 4);
    assert.equal(buckets.at(-1)!.end, range.end);
  });

  it("keeps a bucket whose readings all miss their value, with no min, max or mean: a gap", async () => {
    const buckets = (await downsample(store, "meterusage", { start: all[0].time, end: all[0].time + 10 * step }, 5))!;
    assert.deepEqual(buckets[2], { start: all[4].time, end: all[6].time, count: 0, missingCount: 2, min: undefined, max: undefined, mean: undefined });
  });

  it("starts an unbounded range at the first stored reading and ends it with the bucket holding the last", async () => {
    const buckets = (await downsample(store, "meterusage", {}, 3))!;
    assert.equal(buckets[0].start, all[0].time);
    const last = buckets.at(-1)!;
    assert.ok(last.start <= all.at(-1)!.time && all.at(-1)!.time < last.end);
    assert.equal(last.end - last.start, buckets[0].end - buckets[0].start, "the last bucket is as wide as the others");
    assert.equal(buckets.reduce((sum, b) => sum + b.count + b.missingCount, 0), all.length);
  });
});

describe("downsampling the reference data over the wire", () => {
  let server: TestServer;
  let readings: Reading[];
  before(async () => {
    server = await startTestServer();
    readings = await storedReadings(server.store);
  });
  after(() => server.close());

  it("answers StreamReadings with at most max_points buckets that agree with a brute-force computation", async () => {
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const cases: [TimeRange, number][] = [
      [{}, 300],
      [{ start: Date.parse("2019-01-10T00:00:00Z"), end: Date.parse("2019-01-20T00:00:00Z") }, 97],
      [{ start: Date.parse("2019-01-17T00:00:00Z"), end: Date.parse("2019-01-18T00:00:00Z") }, 10],
      [{ start: Date.parse("2018-12-25T00:00:00Z") }, 1],
    ];
    for (const [range, maxPoints] of cases) {
      const buckets: Bucket[] = [];
      for await (const message of client.streamReadings({
        start: range.start === undefined ? undefined : timestampFromMs(range.start),
        end: range.end === undefined ? undefined : timestampFromMs(range.end),
        maxPoints,
      })) {
        assert.equal(message.readings.length, 0);
        for (const b of message.buckets) {
          buckets.push({ start: timestampMs(b.start!), end: timestampMs(b.end!), count: b.count, missingCount: b.missingCount, min: b.min, max: b.max, mean: b.mean });
        }
      }
      const start = range.start ?? readings[0].time;
      const last = readings.at(-1)!.time;
      const width = bucketWidth((range.end ?? last + 1) - start, maxPoints);
      const end = range.end ?? start + (Math.floor((last - start) / width) + 1) * width;
      assert.ok(buckets.length <= maxPoints, `${buckets.length} buckets for max_points ${maxPoints}`);
      assertSameBuckets(buckets, bruteForce(readings, start, end, width));
    }
  });

  it("sends readings when the range has fewer than max_points, and refuses max_points with follow", async () => {
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl }));
    let received = 0;
    for await (const message of client.streamReadings({ maxPoints: 5000 })) received += message.readings.length;
    assert.equal(received, referenceData.count);
    await assert.rejects(
      (async () => {
        for await (const _ of client.streamReadings({ maxPoints: 10, follow: true }));
      })(),
      (error: unknown) => ConnectError.from(error).code === Code.InvalidArgument,
    );
  });

  it("answers GET /api/readings?max_points= with buckets, and 400 for a bad value", async () => {
    const body = (await (await fetch(`${server.baseUrl}/api/readings?start=2019-01-17&end=2019-01-18&max_points=24`)).json()) as {
      buckets: { start: string; end: string; count: number; missingCount: number; min?: number }[];
    };
    assert.equal(body.buckets.length, 24);
    assert.deepEqual(body.buckets[2], { ...body.buckets[2], start: "2019-01-17T02:00:00Z", end: "2019-01-17T03:00:00Z", count: 3, missingCount: 1 });
    const small = (await (await fetch(`${server.baseUrl}/api/readings?start=2019-01-17&end=2019-01-18&max_points=1000`)).json()) as { readings: unknown[] };
    assert.equal(small.readings.length, 96);
    assert.equal((await fetch(`${server.baseUrl}/api/readings?max_points=lots`)).status, 400);
  });
});

import assert from "node:assert/strict";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { once } from "node:events";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { importCsvFile } from "../src/ingest/import-csv-file.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { collectStream } from "./support/collect-stream.js";
import { referenceData } from "./support/reference-data.js";
import { spawnService, type ServiceProcess } from "./support/spawn-service.js";
import { writeSyntheticCsv } from "./support/synthetic-csv.js";
import { startTestServer, temporaryFolder, type TestServer } from "./support/test-server.js";
import { everyTransport } from "./support/transports.js";

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

describe("clients that leave mid-stream", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ follow: { heartbeatMs: 20, maxQueued: 1000 } })));
  after(() => server.close());

  it("1,000 cancelled streams leave no listener, timer or open stream behind", async () => {
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const timersBefore = timers();
    const cancelAfterFirstMessage = async (follow: boolean) => {
      const abort = new AbortController();
      try {
        for await (const _ of client.streamReadings({ follow }, { signal: abort.signal })) abort.abort();
      } catch {
        // Cancelling is the point.
      }
    };
    for (let round = 0; round < 20; round++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => cancelAfterFirstMessage(i % 2 === 0)));
    }
    // The client stops at once; the server learns of each cancel when its RST_STREAM arrives.
    const openStreams = async () => (await server.app.metrics.openStreams.get()).values.reduce((sum, v) => sum + v.value, 0);
    for (let waited = 0; (server.store.feed.listenerCount > 0 || (await openStreams()) > 0) && waited < 3000; waited += 20) await sleep(20);
    assert.equal(server.store.feed.listenerCount, 0, "followers still listening");
    assert.equal(await openStreams(), 0, "streams still open");
    await sleep(50);
    assert.ok(timers() <= timersBefore, `timers before ${timersBefore}, after ${timers()}`);
    // An unfinished SQLite iterator would make this write fail with "connection is busy".
    await server.store.appendReadings([{ meter: "meterusage", readings: [{ time: Date.UTC(2030, 0, 1), value: 1 }] }]);
    assert.deepEqual(server.loggedErrors, []);
  });
});

describe("many clients at once", () => {
  let folder: string;
  let service: ServiceProcess;
  const bigRows = 200_000;
  const slowReaderCount = 10;

  before(async () => {
    folder = temporaryFolder();
    const db = join(folder, "many.db");
    const store = new SqliteStore(db);
    const csv = join(folder, "big.csv");
    await writeSyntheticCsv(csv, bigRows);
    await importCsvFile(store, csv);
    await store.close();
    service = await spawnService(["--db", db]);
  });
  after(async () => {
    service.child.kill("SIGTERM");
    await once(service.child, "exit");
    rmSync(folder, { recursive: true, force: true });
  });

  const residentMegabytes = () => {
    const status = readFileSync(`/proc/${service.child.pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
  };

  it("reads ahead of slow readers only as far as flow control lets it, so memory stays bounded", async (t) => {
    const streamedSoFar = async () => {
      const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
      return Number(/^meterusage_rows_streamed_total\{protocol="grpc"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
    };
    const streamedBefore = await streamedSoFar();
    const rssBefore = residentMegabytes();
    const slowReaders = Array.from({ length: slowReaderCount }, () => {
      const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: service.baseUrl }));
      return client.streamReadings({})[Symbol.asyncIterator]();
    });
    for (const reader of slowReaders) await reader.next();
    await sleep(1500);
    const producedWhileStalled = (await streamedSoFar()) - streamedBefore;
    const rssWhileStalled = residentMegabytes();
    t.diagnostic(
      `while ${slowReaderCount} readers of ${bigRows} readings stall: the service produced ${producedWhileStalled} readings ` +
        `(${((100 * producedWhileStalled) / (slowReaderCount * bigRows)).toFixed(1)}% of their results); RSS ${rssBefore.toFixed(0)} -> ${rssWhileStalled.toFixed(0)} MB`,
    );
    assert.ok(
      producedWhileStalled < (slowReaderCount * bigRows) / 10,
      `the service produced ${producedWhileStalled} of ${slowReaderCount * bigRows} readings for readers that took ${slowReaderCount * 1000}`,
    );
    let received = 0;
    await Promise.all(
      slowReaders.map(async (reader) => {
        for (let result = await reader.next(); !result.done; result = await reader.next()) received += result.value.readings.length;
      }),
    );
    assert.equal(received + slowReaderCount * 1000, slowReaderCount * bigRows);
  });

  it("200 concurrent streams over gRPC, gRPC-Web and Connect all get every reading of their range", async () => {
    const range = { start: { seconds: BigInt(Date.UTC(2020, 0, 1) / 1000), nanos: 0 }, end: { seconds: BigInt(Date.UTC(2020, 1, 1) / 1000), nanos: 0 } };
    const counts = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const [, make] = everyTransport[i % everyTransport.length];
        const { readings } = await collectStream(createClient(MeterUsageService, make(service.baseUrl)).streamReadings(range));
        return readings.length;
      }),
    );
    assert.deepEqual(new Set(counts), new Set([31 * 96]));
  });

  it("still serves the reference range after all that", async () => {
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: service.baseUrl }));
    const summary = await client.getSummary({});
    assert.equal(summary.count, BigInt(bigRows));
    assert.ok(referenceData.count > 0);
  });
});

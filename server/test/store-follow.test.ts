import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { importCsvFile } from "../src/ingest/import-csv-file.js";
import { bundledCsv } from "../src/package-paths.js";
import { FollowerTooSlowError } from "../src/store/follower-too-slow-error.js";
import { SqliteStore } from "../src/store/sqlite-store.js";
import { referenceData } from "./support/reference-data.js";
import { temporaryFolder } from "./support/test-server.js";

describe("following the SQLite store", () => {
  let folder: string;
  let store: SqliteStore;
  before(async () => {
    folder = temporaryFolder();
    store = new SqliteStore(join(folder, "follow.db"));
    await importCsvFile(store, bundledCsv);
  });
  after(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("sends each reading once when it is stored while the stored ones are still being read", async () => {
    const stop = new AbortController();
    const batches = store.follow({ end: Date.parse("2019-03-01T00:00:00Z") }, 1000, { signal: stop.signal, maxQueued: 100 })[Symbol.asyncIterator]();
    const firstPage = (await batches.next()).value!;
    assert.equal(firstPage.length, 1000);

    const passed = { time: firstPage[10].time + 60_000, value: 1 };
    const ahead = { time: Date.parse("2019-02-01T00:00:00Z"), value: 2 };
    const outside = { time: Date.parse("2019-03-01T00:00:00Z"), value: 3 };
    await store.appendReadings([passed, ahead, outside]);

    const received = [...firstPage];
    while (received.length < referenceData.count + 2) received.push(...(await batches.next()).value!);
    stop.abort();
    assert.equal((await batches.next()).done, true);

    const times = received.map((reading) => reading.time);
    assert.equal(new Set(times).size, times.length, "no reading twice");
    assert.deepEqual(received.filter((r) => r.time === passed.time || r.time === ahead.time || r.time === outside.time), [ahead, passed]);
    assert.equal(store.feed.listenerCount, 0);
  });

  it("stops a follower that falls more new readings behind than it may queue", async () => {
    const stop = new AbortController();
    const batches = store.follow({ start: Date.parse("2022-01-01T00:00:00Z") }, 1000, { signal: stop.signal, maxQueued: 5 })[Symbol.asyncIterator]();
    const waiting = batches.next();
    await store.appendReadings([{ time: Date.parse("2022-01-01T00:00:00Z"), value: 1 }]);
    assert.equal((await waiting).value!.length, 1);
    const burst = Array.from({ length: 6 }, (_, i) => ({ time: Date.parse("2022-01-02T00:00:00Z") + i * 900_000, value: i }));
    await store.appendReadings(burst);
    await assert.rejects(batches.next(), FollowerTooSlowError);
    assert.equal(store.feed.listenerCount, 0);
  });
});

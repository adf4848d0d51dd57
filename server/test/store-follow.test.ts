import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FollowerTooSlowError } from "../src/store/follower-too-slow-error.js";
import { referenceData } from "./support/reference-data.js";
import { bundledStoreForSuite, storeKinds, type FollowableStore } from "./support/store-kinds.js";

for (const kind of storeKinds()) {
  describe(`following the ${kind.name} store`, { skip: kind.skip }, () => {
    let store: FollowableStore;
    bundledStoreForSuite(kind, (opened) => (store = opened));

    it("sends each reading once when it is stored while the stored ones are still being read", async () => {
      const stop = new AbortController();
      const batches = store.follow("meterusage", { end: Date.parse("2019-03-01T00:00:00Z") }, 1000, { signal: stop.signal, maxQueued: 100 })[Symbol.asyncIterator]();
      const firstPage = (await batches.next()).value!;
      assert.equal(firstPage.length, 1000);

      const passed = { time: firstPage[10].time + 60_000, value: 1 };
      const ahead = { time: Date.parse("2019-02-01T00:00:00Z"), value: 2 };
      const outside = { time: Date.parse("2019-03-01T00:00:00Z"), value: 3 };
      await store.appendReadings([{ meter: "meterusage", readings: [passed, ahead, outside] }]);

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
      const batches = store.follow("meterusage", { start: Date.parse("2022-01-01T00:00:00Z") }, 1000, { signal: stop.signal, maxQueued: 5 })[Symbol.asyncIterator]();
      const waiting = batches.next();
      await store.appendReadings([{ meter: "meterusage", readings: [{ time: Date.parse("2022-01-01T00:00:00Z"), value: 1 }] }]);
      assert.equal((await waiting).value!.length, 1);
      const burst = Array.from({ length: 6 }, (_, i) => ({ time: Date.parse("2022-01-02T00:00:00Z") + i * 900_000, value: i }));
      await store.appendReadings([{ meter: "meterusage", readings: burst }]);
      await assert.rejects(batches.next(), FollowerTooSlowError);
      assert.equal(store.feed.listenerCount, 0);
    });

    it("sends every reading of a large call, oldest first", async () => {
      const start = Date.parse("2023-01-01T00:00:00Z");
      const stop = new AbortController();
      const batches = store.follow("meterusage", { start }, 1000, { signal: stop.signal, maxQueued: 10_000 })[Symbol.asyncIterator]();
      const waiting = batches.next();
      const readings = Array.from({ length: 5000 }, (_, i) => ({ time: start + i * 900_000, value: i % 10 === 0 ? null : i * 1.25 }));
      await store.appendReadings([{ meter: "meterusage", readings: [...readings].reverse() }]);
      const received = (await waiting).value!;
      while (received.length < readings.length) received.push(...(await batches.next()).value!);
      assert.deepEqual(received, readings);
      stop.abort();
      assert.equal((await batches.next()).done, true);
    });

    it("ends without an error when its signal aborts while it waits", async () => {
      const stop = new AbortController();
      const batches = store.follow("meterusage", { start: Date.parse("2024-01-01T00:00:00Z") }, 1000, { signal: stop.signal, maxQueued: 10 })[Symbol.asyncIterator]();
      const waiting = batches.next();
      stop.abort();
      assert.equal((await waiting).done, true);
      assert.equal(store.feed.listenerCount, 0);
    });
  });
}

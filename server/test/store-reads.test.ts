import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Reading, TimeRange } from "../src/readings/reading.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { referenceData } from "./support/reference-data.js";
import { bundledStoreForSuite, storeKinds, type TestStore } from "./support/store-kinds.js";

async function readAll(store: ReadingStore, range: TimeRange, batchSize = 1000): Promise<Reading[][]> {
  const batches: Reading[][] = [];
  for await (const batch of store.readBatches("meterusage", range, batchSize)) batches.push(batch);
  return batches;
}

for (const kind of storeKinds()) {
  describe(`reading from the ${kind.name} store`, { skip: kind.skip }, () => {
    let store: ReadingStore;
    bundledStoreForSuite(kind, (opened) => (store = opened));

    it("reads everything oldest first in batches of the asked size", async () => {
      const batches = await readAll(store, {}, 1000);
      assert.deepEqual(batches.map((batch) => batch.length), [1000, 1000, 975]);
      const readings = batches.flat();
      assert.deepEqual(readings[0], { time: Date.parse(referenceData.first.time), value: referenceData.first.value });
      assert.ok(readings.every((reading, i) => i === 0 || reading.time > readings[i - 1].time));
    });

    it("reads a half-open range", async () => {
      const start = Date.parse("2019-01-17T02:30:00Z");
      const end = Date.parse("2019-01-17T03:15:00Z");
      assert.deepEqual((await readAll(store, { start, end })).flat(), [
        { time: start, value: 53.95 },
        { time: Date.parse(referenceData.missingTime), value: null },
        { time: Date.parse("2019-01-17T03:00:00Z"), value: 55.03 },
      ]);
      assert.deepEqual(await readAll(store, { start, end: start }), []);
    });

    it("summarizes a range", async () => {
      const summary = await store.summarize("meterusage", {});
      assert.equal(summary.count, referenceData.count);
      assert.equal(summary.missingCount, 1);
      assert.equal(summary.firstTime, Date.parse(referenceData.first.time));
      assert.equal(summary.lastTime, Date.parse(referenceData.last.time));
      assert.equal(summary.min, referenceData.min);
      assert.equal(summary.max, referenceData.max);
      assert.ok(Math.abs(summary.mean! * referenceData.valueCount - summary.sum) < 1e-6);
      assert.deepEqual(await store.summarize("meterusage", { start: 0, end: 1 }), {
        count: 0,
        missingCount: 0,
        firstTime: undefined,
        lastTime: undefined,
        min: undefined,
        max: undefined,
        mean: undefined,
        sum: 0,
      });
    });

    it("tells a range's extent: how many readings, the first and the last time", async () => {
      assert.deepEqual(await store.extent("meterusage", {}), {
        count: referenceData.count,
        firstTime: Date.parse(referenceData.first.time),
        lastTime: Date.parse(referenceData.last.time),
      });
      const day = { start: Date.parse("2019-01-17T00:00:00Z"), end: Date.parse("2019-01-18T00:00:00Z") };
      assert.deepEqual(await store.extent("meterusage", day), { count: 96, firstTime: day.start, lastTime: day.end - 900_000 });
      assert.deepEqual(await store.extent("meterusage", { start: 0, end: 1 }), { count: 0, firstTime: undefined, lastTime: undefined });
    });

    it("stops reading when the reader stops", async () => {
      let batches = 0;
      for await (const _ of store.readBatches("meterusage", {}, 10)) {
        if (++batches === 2) break;
      }
      assert.equal(batches, 2);
      assert.equal(await store.count(), referenceData.count);
    });
  });

  describe(`times and values in the ${kind.name} store`, { skip: kind.skip }, () => {
    let opened: TestStore;
    before(async () => (opened = await kind.open()));
    after(() => opened.close());

    it("keeps every millisecond from the year 1 to 9999, and every double, exactly", async () => {
      const yearOne = new Date(0).setUTCFullYear(1, 0, 1);
      const readings: Reading[] = [
        { time: yearOne - 3_600_000, value: Number.MIN_VALUE },
        { time: yearOne, value: -Number.MAX_VALUE },
        { time: Date.UTC(1582, 9, 4, 23, 59, 59, 999), value: 0.1 + 0.2 },
        { time: Date.UTC(1970, 0, 1) - 1, value: null },
        { time: Date.UTC(2019, 0, 1, 0, 15, 0, 1), value: 1e21 },
        { time: Date.UTC(9999, 11, 31, 23, 59, 59, 999), value: Number.MAX_VALUE },
      ];
      await opened.store.appendReadings([{ meter: "meterusage", readings: readings }]);
      assert.deepEqual((await readAll(opened.store, {})).flat(), readings);
      assert.deepEqual((await readAll(opened.store, { start: readings[2].time, end: readings[4].time })).flat(), readings.slice(2, 4));
      const summary = await opened.store.summarize("meterusage", { start: readings[1].time, end: readings[5].time });
      assert.deepEqual([summary.firstTime, summary.lastTime, summary.count], [readings[1].time, readings[4].time, 4]);
    });

    it("stores a zero without its sign", async () => {
      const time = Date.UTC(2030, 0, 1);
      await opened.store.appendReadings([{ meter: "meterusage", readings: [{ time, value: -0 }] }]);
      assert.deepEqual((await readAll(opened.store, { start: time, end: time + 1 })).flat(), [{ time, value: 0 }]);
    });
  });
}

import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, it } from "node:test";
import { readingsOf } from "../src/readings/reading-columns.js";
import type { Reading, TimeRange } from "../src/readings/reading.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { referenceData } from "./support/reference-data.js";
import { bundledStoreForSuite, storeKinds } from "./support/store-kinds.js";

async function readings(store: ReadingStore, range: TimeRange, batchSize: number): Promise<Reading[]> {
  const read: Reading[] = [];
  for await (const batch of store.readBatches("meterusage", range, batchSize)) read.push(...batch);
  return read;
}

async function columnBatches(store: ReadingStore, range: TimeRange, batchSize: number): Promise<Reading[][]> {
  const batches: Reading[][] = [];
  for await (const columns of store.readColumns("meterusage", range, batchSize)) {
    assert.equal(columns.times.length, columns.values.length);
    batches.push(readingsOf(columns));
  }
  return batches;
}

const first = Date.parse(referenceData.first.time);
const last = Date.parse(referenceData.last.time);

for (const kind of storeKinds()) {
  describe(`reading columns from the ${kind.name} store`, { skip: kind.skip }, () => {
    let store: ReadingStore;
    bundledStoreForSuite(kind, (opened) => (store = opened));

    it("reads every reading oldest first, a missing one as NaN, in full batches but the last", async () => {
      const batches = await columnBatches(store, {}, 1000);
      assert.deepEqual(batches.map((batch) => batch.length), [1000, 1000, 975]);
      assert.deepEqual(batches.flat(), await readings(store, {}, 1000));
      const missing = Date.parse(referenceData.missingTime);
      for await (const { times, values } of store.readColumns("meterusage", { start: missing, end: missing + 1 }, 10)) {
        assert.deepEqual([...times], [missing]);
        assert.ok(Number.isNaN(values[0]));
      }
    });

    it("reads the same readings as readBatches for any range and batch size", async () => {
      const time = fc.integer({ min: first - 2_000_000, max: last + 2_000_000 });
      await fc.assert(
        fc.asyncProperty(fc.option(time), fc.option(time), fc.integer({ min: 1, max: 3000 }), async (start, end, batchSize) => {
          const range = { start: start ?? undefined, end: end ?? undefined };
          if (range.start !== undefined && range.end !== undefined && range.end < range.start) return;
          const batches = await columnBatches(store, range, batchSize);
          assert.ok(batches.every((batch) => batch.length > 0 && batch.length <= batchSize));
          assert.deepEqual(batches.flat(), await readings(store, range, batchSize));
        }),
        { numRuns: 60 },
      );
    });

    it("reads nothing of an empty range and refuses an unknown meter", async () => {
      assert.deepEqual(await columnBatches(store, { start: last + 1 }, 100), []);
      await assert.rejects(async () => {
        for await (const _ of store.readColumns("no-such-meter", {}, 100)) assert.fail("read a meter the store does not have");
      }, /no-such-meter/);
    });
  });
}

import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ReadingConflictError } from "../src/store/reading-conflict-error.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { referenceData } from "./support/reference-data.js";
import { bundledStoreForSuite, storeKinds } from "./support/store-kinds.js";
import { storedReadings } from "./support/stored-readings.js";

for (const kind of storeKinds()) {
  describe(`appending to the ${kind.name} store`, { skip: kind.skip }, () => {
    let store: ReadingStore;
    bundledStoreForSuite(kind, (opened) => (store = opened));

    it("stores new readings, counting those already stored with the same value", async () => {
      const readings = [
        { time: Date.parse("2019-02-01T00:00:00Z"), value: 1.5 },
        { time: Date.parse("2019-02-01T00:15:00Z"), value: null },
      ];
      assert.deepEqual(await store.appendReadings([{ meter: "meterusage", readings: readings }]), { stored: 2, alreadyStored: 0 });
      assert.deepEqual(await store.appendReadings([{ meter: "meterusage", readings: readings }]), { stored: 0, alreadyStored: 2 });
      assert.deepEqual(await store.appendReadings([{ meter: "meterusage", readings: [...readings, { time: Date.parse("2019-02-01T00:30:00Z"), value: 2 }] }]), {
        stored: 1,
        alreadyStored: 2,
      });
      assert.deepEqual(await storedReadings(store, { start: readings[0].time, end: Date.parse("2019-02-02T00:00:00Z") }), [
        ...readings,
        { time: Date.parse("2019-02-01T00:30:00Z"), value: 2 },
      ]);
    });

    it("refuses a time stored with another value, naming both values, and stores nothing of the call", async () => {
      const before = await store.count();
      const fresh = { time: Date.parse("2019-03-01T00:00:00Z"), value: 1 };
      await assert.rejects(store.appendReadings([{ meter: "meterusage", readings: [fresh, { time: Date.parse(referenceData.first.time), value: 99 }] }]), (error: unknown) => {
        assert.ok(error instanceof ReadingConflictError);
        assert.equal(error.message, "a reading of meter meterusage for 2019-01-01T00:15:00Z is already stored with the value 55.09; it cannot become 99");
        return true;
      });
      await assert.rejects(store.appendReadings([{ meter: "meterusage", readings: [{ time: Date.parse(referenceData.missingTime), value: 1 }] }]), /already stored with the value missing; it cannot become 1$/);
      assert.equal(await store.count(), before);
      assert.deepEqual(await storedReadings(store, { start: fresh.time, end: fresh.time + 1 }), []);
    });

    it("takes a time repeated within one call as if the readings came one by one", async () => {
      const time = Date.parse("2019-04-01T00:00:00Z");
      assert.deepEqual(await store.appendReadings([{ meter: "meterusage", readings: [{ time, value: 3 }, { time, value: 3 }] }]), { stored: 1, alreadyStored: 1 });
      const other = time + 900_000;
      await assert.rejects(store.appendReadings([{ meter: "meterusage", readings: [{ time: other, value: 3 }, { time: other, value: 4 }] }]), /already stored with the value 3; it cannot become 4$/);
      assert.deepEqual(await storedReadings(store, { start: time, end: other + 1 }), [{ time, value: 3 }]);
    });

    it("stores a call of 100,000 readings in one transaction", async () => {
      const start = Date.UTC(2021, 0, 1);
      const readings = Array.from({ length: 100_000 }, (_, i) => ({ time: start + i * 60_000, value: i % 7 === 0 ? null : i / 8 }));
      assert.deepEqual(await store.appendReadings([{ meter: "meterusage", readings: readings }]), { stored: readings.length, alreadyStored: 0 });
      assert.deepEqual(await storedReadings(store, { start, end: start + readings.length * 60_000 }), readings);
    });
  });
}

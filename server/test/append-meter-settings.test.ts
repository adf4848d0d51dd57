import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ReadingConflictError } from "../src/store/reading-conflict-error.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { storeKinds, type TestStore } from "./support/store-kinds.js";

// A posted file's unit and zone go with its readings: both stored in one transaction, or neither.
for (const kind of storeKinds()) {
  describe(`meter settings with an append to the ${kind.name} store`, { skip: kind.skip }, () => {
    let opened: TestStore;
    let store: ReadingStore;
    before(async () => {
      opened = await kind.open();
      store = opened.store;
    });
    after(() => opened.close());

    const at = (text: string) => Date.parse(text);

    it("sets them on meters new and already there, with the readings", async () => {
      await store.appendReadings([{ meter: "flat-1", readings: [{ time: at("2026-01-15T00:00:00Z"), value: 1 }] }]);
      const meterSettings = new Map([
        ["flat-1", { unit: "kWh", timeZone: "America/New_York" }],
        ["flat-2", { unit: "therm" }],
      ]);
      const result = await store.appendReadings(
        [
          { meter: "flat-1", readings: [{ time: at("2026-01-15T00:15:00Z"), value: 2 }] },
          { meter: "flat-2", readings: [{ time: at("2026-01-15T00:15:00Z"), value: 3 }] },
        ],
        { meterSettings },
      );
      assert.deepEqual(result, { stored: 2, alreadyStored: 0 });
      const meters = await store.meters();
      assert.deepEqual(
        meters.filter(({ name }) => name.startsWith("flat-")).map(({ name, unit, timeZone }) => [name, unit, timeZone]),
        [
          ["flat-1", "kWh", "America/New_York"],
          ["flat-2", "therm", "UTC"],
        ],
      );
    });

    it("leaves them as they were when the append is refused", async () => {
      await assert.rejects(
        store.appendReadings([{ meter: "flat-1", readings: [{ time: at("2026-01-15T00:15:00Z"), value: 99 }] }], {
          meterSettings: new Map([["flat-1", { unit: "m3", timeZone: "Europe/London" }]]),
        }),
        ReadingConflictError,
      );
      const flat = await store.meter("flat-1");
      assert.deepEqual([flat?.unit, flat?.timeZone, flat?.count], ["kWh", "America/New_York", 2]);
    });
  });
}

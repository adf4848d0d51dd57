import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { csvReadings } from "../src/ingest/csv-readings.js";
import { UnknownMeterError } from "../src/meters/unknown-meter-error.js";
import type { Reading } from "../src/readings/reading.js";
import { DuplicateTimeError } from "../src/store/duplicate-time-error.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { referenceData } from "./support/reference-data.js";
import { bundledStoreForSuite, storeKinds } from "./support/store-kinds.js";
import { storedReadings } from "./support/stored-readings.js";

const at = (text: string) => Date.parse(text);
const csv = (text: string) => csvReadings([text]);

/** The figures ListMeters shows, worked out the slow way, from the readings themselves. */
async function figuresFromReadings(store: ReadingStore, meter: string) {
  const readings = await storedReadings(store, {}, meter);
  return { count: readings.length, firstTime: readings[0]?.time, lastTime: readings.at(-1)?.time };
}

async function assertFiguresCurrent(store: ReadingStore): Promise<void> {
  for (const meter of await store.meters()) {
    const { name, count, firstTime, lastTime } = meter;
    assert.deepEqual({ count, firstTime, lastTime }, await figuresFromReadings(store, name), `figures of ${name}`);
  }
}

for (const kind of storeKinds()) {
  describe(`meters in the ${kind.name} store`, { skip: kind.skip }, () => {
    let store: ReadingStore;
    bundledStoreForSuite(kind, (opened) => (store = opened));

    it("holds the bundled readings as the meter meterusage, the first it received", async () => {
      assert.deepEqual(await store.meters(), [
        {
          name: "meterusage",
          count: referenceData.count,
          firstTime: at(referenceData.first.time),
          lastTime: at("2019-01-31T23:45:00Z"),
          unit: "",
          timeZone: "UTC",
        },
      ]);
      assert.equal(await store.firstMeter(), "meterusage");
    });

    it("imports a wide file as a meter a column and a long file as a meter a line, keeping meters apart", async () => {
      await store.importReadings(csv("time,main,flat-1\n2019-01-01 00:15:00,10,1\n2019-01-01 00:30:00,NaN,2\n"));
      await store.importReadings(csv("meter,time,value\nflat-2,2019-01-01 00:15:00,5\nflat-1,2019-01-01 00:45:00,3\nflat-2,2019-01-01 00:00:00,4\n"));
      assert.deepEqual((await store.meters()).map(({ name, count }) => [name, count]), [
        ["flat-1", 3],
        ["flat-2", 2],
        ["main", 2],
        ["meterusage", referenceData.count],
      ]);
      assert.deepEqual(await storedReadings(store, {}, "flat-1"), [
        { time: at("2019-01-01T00:15:00Z"), value: 1 },
        { time: at("2019-01-01T00:30:00Z"), value: 2 },
        { time: at("2019-01-01T00:45:00Z"), value: 3 },
      ]);
      assert.deepEqual(await storedReadings(store, {}, "main"), [
        { time: at("2019-01-01T00:15:00Z"), value: 10 },
        { time: at("2019-01-01T00:30:00Z"), value: null },
      ]);
      assert.equal(await store.firstMeter(), "meterusage");
      await assertFiguresCurrent(store);
    });

    it("refuses a time twice for one meter, naming the line and the meter, and stores nothing of the file", async () => {
      const before = await store.meters();
      await assert.rejects(
        store.importReadings(csv("meter,time,value\nnew-meter,2019-01-01 00:15:00,5\nflat-2,2019-01-01 00:15:00,9\n")),
        (error: unknown) => {
          assert.ok(error instanceof DuplicateTimeError);
          assert.equal(error.message, "line 3: a reading of meter flat-2 for 2019-01-01T00:15:00Z is already stored (or appears earlier in the file)");
          return true;
        },
      );
      await assert.rejects(
        store.importReadings(csv("meter,time,value\nnew-meter,2019-01-01 00:15:00,5\nnew-meter,2019-01-01 00:15:00,6\n")),
        /line 3: a reading of meter new-meter for 2019-01-01T00:15:00Z appears twice: first on line 2/,
      );
      assert.deepEqual(await store.meters(), before, "no meter was created and no figure changed");
    });

    it("replaces only the meters a file holds", async () => {
      const { removed } = await store.importReadings(csv("time,flat-1\n2020-01-01 00:00:00,7\n"), { replace: true });
      assert.equal(removed, 3);
      assert.deepEqual(await storedReadings(store, {}, "flat-1"), [{ time: at("2020-01-01T00:00:00Z"), value: 7 }]);
      assert.equal((await storedReadings(store, {}, "flat-2")).length, 2);
      await assertFiguresCurrent(store);
    });

    it("creates a meter with its first appended reading, and appends to several meters in one transaction", async () => {
      const result = await store.appendReadings([
        { meter: "appended", readings: [{ time: at("2021-01-01T00:00:00Z"), value: 1 }] },
        { meter: "flat-2", readings: [{ time: at("2021-01-01T00:00:00Z"), value: 2 }] },
      ]);
      assert.deepEqual(result, { stored: 2, alreadyStored: 0 });
      const before = await store.meters();
      await assert.rejects(
        store.appendReadings([
          { meter: "never", readings: [{ time: at("2021-01-01T00:00:00Z"), value: 1 }] },
          { meter: "appended", readings: [{ time: at("2021-01-01T00:00:00Z"), value: 5 }] },
        ]),
        /a reading of meter appended for 2021-01-01T00:00:00Z is already stored with the value 1; it cannot become 5/,
      );
      assert.deepEqual(await store.meters(), before);
      await assertFiguresCurrent(store);
    });

    it("answers reads of a meter it does not have with UnknownMeterError", async () => {
      await assert.rejects(store.summarize("nobody", {}), UnknownMeterError);
      await assert.rejects(store.extent("nobody", {}), UnknownMeterError);
      await assert.rejects(storedReadings(store, {}, "nobody"), /there is no meter "nobody"/);
    });

    it("keeps every meter's figures equal to its readings through random appends and imports", async () => {
      const names = ["r-a", "r-b", "r-c"];
      const write = fc.record({
        meter: fc.constantFrom(...names),
        slots: fc.uniqueArray(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 20 }),
        value: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
        asImport: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(write, async ({ meter, slots, value, asImport }) => {
          const readings: Reading[] = slots.map((slot) => ({ time: at("2022-01-01T00:00:00Z") + slot * 900_000, value }));
          if (asImport) {
            const held = new Set((await storedReadings(store, {}, meter).catch(() => [])).map((reading) => reading.time));
            const fresh = readings.filter((reading) => !held.has(reading.time));
            const rows = fresh.map((reading, i) => ({ ...reading, meter, line: i + 2 }));
            await store.importReadings((async function* () { yield rows; })());
          } else {
            await store.appendReadings([{ meter, readings }]).catch((error: unknown) => assert.match(String(error), /cannot become/));
          }
        }),
        { numRuns: 25 },
      );
      await assertFiguresCurrent(store);
    });
  });
}

describe("meters of an SQLite store another process writes to", () => {
  it("lists what another connection committed since, after a listing this one kept", async () => {
    const folder = mkdtempSync(join(tmpdir(), "meterusage-meters-"));
    const path = join(folder, "meters.db");
    const serving = new SqliteStore(path);
    const importing = new SqliteStore(path);
    try {
      await serving.appendReadings([{ meter: "flat-1", readings: [{ time: at("2019-01-01T00:00:00Z"), value: 1 }] }]);
      assert.deepEqual((await serving.meters()).map(({ name, count }) => [name, count]), [["flat-1", 1]]);
      await importing.appendReadings([
        { meter: "flat-1", readings: [{ time: at("2019-01-01T00:15:00Z"), value: 2 }] },
        { meter: "flat-2", readings: [{ time: at("2019-01-01T00:00:00Z"), value: 3 }] },
      ]);
      await importing.setMeterSettings("flat-2", { unit: "kWh" });
      assert.deepEqual(
        (await serving.meters()).map(({ name, count, lastTime, unit }) => [name, count, lastTime, unit]),
        [
          ["flat-1", 2, at("2019-01-01T00:15:00Z"), ""],
          ["flat-2", 1, at("2019-01-01T00:00:00Z"), "kWh"],
        ],
      );
    } finally {
      await serving.close();
      await importing.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

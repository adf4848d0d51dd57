import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { setTimeout } from "node:timers/promises";
import { CsvFormatError } from "../src/ingest/csv-format-error.js";
import { csvReadings } from "../src/ingest/csv-readings.js";
import { DuplicateTimeError } from "../src/store/duplicate-time-error.js";
import type { MeterReading } from "../src/readings/reading.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { referenceData } from "./support/reference-data.js";
import { storedReadings } from "./support/stored-readings.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { bundledStoreForSuite, postgresKind, storeKinds } from "./support/store-kinds.js";
import { asAdmin } from "./support/test-postgres.js";

function csv(text: string): AsyncIterable<string> {
  return [text][Symbol.iterator]() as unknown as AsyncIterable<string>;
}

/** `count` CSV rows 15 minutes apart from 2020, each valued by its position. */
function rows(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${new Date(Date.UTC(2020, 0, 1) + i * 900_000).toISOString()},${i}`);
}

async function* batchesOf(batches: MeterReading[][]): AsyncGenerator<MeterReading[]> {
  yield* batches;
}

for (const kind of storeKinds()) {
  describe(`importing into the ${kind.name} store`, { skip: kind.skip }, () => {
    let store: ReadingStore;
    bundledStoreForSuite(kind, (opened) => (store = opened));

    it("stores nothing of a file with a bad row, and names the row", async () => {
      const text = `time,meterusage\n${rows(5000).join("\n")}\n2020-06-01 00:00:00,oops\n`;
      await assert.rejects(store.importReadings(csvReadings(csv(text))), (error: unknown) => {
        assert.ok(error instanceof CsvFormatError);
        assert.equal(error.line, 5002);
        return true;
      });
      assert.equal(await store.count(), referenceData.count);
    });

    it("refuses a time that appears twice in the file, naming both lines", async () => {
      const empty = await kind.open();
      try {
        const text = "time,meterusage\n2020-01-01 00:00:00,1\n2020-01-01 00:15:00,2\n2020-01-01 00:00:00,3\n";
        await assert.rejects(empty.store.importReadings(csvReadings(csv(text))), (error: unknown) => {
          assert.ok(error instanceof DuplicateTimeError);
          assert.equal(error.message, "line 4: a reading of meter meterusage for 2020-01-01T00:00:00Z appears twice: first on line 2");
          return true;
        });
        assert.equal(await empty.store.count(), 0);
      } finally {
        await empty.close();
      }
    });

    it("refuses a time that appears again thousands of lines later, naming the later line", async () => {
      const empty = await kind.open();
      try {
        const text = `time,meterusage\n${rows(6000).join("\n")}\n2020-01-01 00:15:00,9\n`;
        await assert.rejects(
          empty.store.importReadings(csvReadings(csv(text))),
          /^DuplicateTimeError: line 6002: a reading of meter meterusage for 2020-01-01T00:15:00Z appears twice: first earlier in the file$/,
        );
        assert.equal(await empty.store.count(), 0);
      } finally {
        await empty.close();
      }
    });

    it("refuses a time that is already stored, storing nothing of the file", async () => {
      const text = "time,meterusage\n2030-01-01 00:00:00,1\n2019-01-01 00:15:00,55.09\n";
      await assert.rejects(store.importReadings(csvReadings(csv(text))), /^DuplicateTimeError: line 3: a reading of meter meterusage for 2019-01-01T00:15:00Z is already stored/);
      assert.equal(await store.count(), referenceData.count);
    });

    it("refuses a time repeated within a later batch, naming both lines", async () => {
      const empty = await kind.open();
      try {
        // The default batch holds 4,096 rows, so lines 4,400 and 4,450 share the second.
        const lines = rows(6000);
        lines[4448] = lines[4398].replace(/,.*/, ",7");
        await assert.rejects(
          empty.store.importReadings(csvReadings(csv(`time,meterusage\n${lines.join("\n")}\n`))),
          /^DuplicateTimeError: line 4450: a reading of meter meterusage for 2020-02-15T19:30:00Z appears twice: first on line 4400$/,
        );
        assert.equal(await empty.store.count(), 0);
      } finally {
        await empty.close();
      }
    });

    it("names the line of a stored time in a later batch, counting blank lines", async () => {
      const lines = ["time,meterusage"];
      rows(5000).forEach((row, i) => lines.push(...(i % 1000 === 999 ? [row, ""] : [row])));
      lines.push("2019-01-01 00:15:00,1", ...rows(5003).slice(5000));
      await assert.rejects(
        store.importReadings(csvReadings(csv(`${lines.join("\n")}\n`))),
        /^DuplicateTimeError: line 5007: a reading of meter meterusage for 2019-01-01T00:15:00Z is already stored \(or appears earlier in the file\)$/,
      );
      assert.equal(await store.count(), referenceData.count);
    });

    it("names a stored time before a time repeated later in the same batch", async () => {
      const lines = rows(6000);
      lines[4398] = "2019-01-01 00:15:00,1";
      lines[4418] = lines[4408].replace(/,.*/, ",7");
      await assert.rejects(
        store.importReadings(csvReadings(csv(`time,meterusage\n${lines.join("\n")}\n`))),
        /^DuplicateTimeError: line 4400: a reading of meter meterusage for 2019-01-01T00:15:00Z is already stored/,
      );
      assert.equal(await store.count(), referenceData.count);
    });

    it("keeps every millisecond from the year 1 to 9999, and every double, exactly", async () => {
      const empty = await kind.open();
      try {
        const yearOne = new Date(0).setUTCFullYear(1, 0, 1);
        const readings: MeterReading[] = [
          { line: 2, meter: "meterusage", time: yearOne - 3_600_000, value: Number.MIN_VALUE },
          { line: 3, meter: "meterusage", time: yearOne, value: -Number.MAX_VALUE },
          { line: 4, meter: "meterusage", time: Date.UTC(1582, 9, 4, 23, 59, 59, 999), value: 0.1 + 0.2 },
          { line: 5, meter: "meterusage", time: Date.UTC(1970, 0, 1) - 1, value: null },
          { line: 6, meter: "meterusage", time: Date.UTC(2019, 0, 1, 0, 15, 0, 1), value: 1e21 },
          { line: 7, meter: "meterusage", time: Date.UTC(9999, 11, 31, 23, 59, 59, 999), value: Number.MAX_VALUE },
        ];
        assert.deepEqual(await empty.store.importReadings(batchesOf([readings.slice(0, 2), readings.slice(2)])), { stored: 6, removed: 0, skipped: false });
        assert.deepEqual(await storedReadings(empty.store), readings.map(({ time, value }) => ({ time, value })));
      } finally {
        await empty.close();
      }
    });

    it("imports only into an empty store when asked to, and says when it found readings there", async () => {
      const file = `time,meterusage\n${rows(3).join("\n")}\n`;
      assert.deepEqual(await store.importReadings(csvReadings(csv(file)), { onlyIntoEmpty: true }), { stored: 0, removed: 0, skipped: true });
      assert.equal(await store.count(), referenceData.count);
      const empty = await kind.open();
      try {
        assert.deepEqual(await empty.store.importReadings(csvReadings(csv(file)), { onlyIntoEmpty: true }), { stored: 3, removed: 0, skipped: false });
        assert.equal(await empty.store.count(), 3);
      } finally {
        await empty.close();
      }
    });

    it("checks a whole file in a dry run, and stores nothing", async () => {
      assert.deepEqual(await store.importReadings(csvReadings(csv(`time,meterusage\n${rows(10).join("\n")}\n`)), { dryRun: true }), { stored: 10, removed: 0, skipped: false });
      assert.equal(await store.count(), referenceData.count);
    });

    it("sets the meters' units and zones in the import's own transaction, once every reading has been read", async () => {
      const empty = await kind.open();
      try {
        const readings: MeterReading[] = [
          { line: 2, meter: "flat-1", time: Date.UTC(2020, 0, 1), value: 1 },
          { line: 2, meter: "flat-2", time: Date.UTC(2020, 0, 1), value: 2 },
          { line: 3, meter: "flat-1", time: Date.UTC(2020, 0, 1, 0, 15), value: 3 },
        ];
        let allRead = false;
        async function* file() {
          yield readings.slice(0, 2);
          yield readings.slice(2);
          allRead = true;
        }
        const settings = new Map([
          ["flat-1", { unit: "kWh", timeZone: "Europe/London" }],
          ["flat-2", { unit: "m3" }],
          ["not-in-the-file", { unit: "therm" }],
        ]);
        // A crash between the readings and their settings is a failure to give the settings: nothing may be left stored.
        const crash = new Error("the process died before the settings were set");
        await assert.rejects(
          empty.store.importReadings(file(), {
            meterSettings: () => {
              throw crash;
            },
          }),
          crash,
        );
        assert.deepEqual([await empty.store.count(), await empty.store.meters()], [0, []]);
        allRead = false;
        await empty.store.importReadings(file(), { dryRun: true, meterSettings: () => settings });
        assert.deepEqual([await empty.store.count(), await empty.store.meters()], [0, []]);
        const asked: boolean[] = [];
        const result = await empty.store.importReadings(file(), { meterSettings: () => (asked.push(allRead), settings) });
        assert.deepEqual([result.stored, asked], [3, [true]]);
        const meters = (await empty.store.meters()).map(({ name, count, unit, timeZone }) => ({ name, count, unit, timeZone }));
        assert.deepEqual(meters, [
          { name: "flat-1", count: 2, unit: "kWh", timeZone: "Europe/London" },
          { name: "flat-2", count: 1, unit: "m3", timeZone: "UTC" },
        ]);
      } finally {
        await empty.close();
      }
    });

    it("replaces every stored reading in the same transaction, or, when the file is bad, none", async () => {
      const replacing = await kind.open("bundled");
      try {
        const bad = `time,meterusage\n${rows(3).join("\n")}\nlater,1\n`;
        await assert.rejects(replacing.store.importReadings(csvReadings(csv(bad)), { replace: true }), CsvFormatError);
        assert.equal(await replacing.store.count(), referenceData.count);
        const good = `time,meterusage\n${rows(3).join("\n")}\n`;
        assert.deepEqual(await replacing.store.importReadings(csvReadings(csv(good)), { replace: true }), { stored: 3, removed: referenceData.count, skipped: false });
        assert.equal(await replacing.store.count(), 3);
      } finally {
        await replacing.close();
      }
    });
  });
}

/** Whether some connection to the database at `url` waits for another's lock. */
async function waitsOnALock(url: string): Promise<boolean> {
  const { rows } = await asAdmin(url, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
  return rows.length > 0;
}

const postgres = postgresKind();
describe("importers into one empty PostgreSQL database at once", { skip: postgres.skip }, () => {
  it("fill it once: the second waits for the first, then finds its readings and stores nothing", async () => {
    const opened = await postgres.open();
    const other = await PostgresStore.open(opened.location);
    try {
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstStarted!: () => void;
      const started = new Promise<void>((resolve) => (firstStarted = resolve));
      const readings = (from: number): MeterReading[] =>
        Array.from({ length: 3 }, (_, i) => ({ line: i + 2, meter: "meterusage", time: Date.UTC(2020, 0, 1) + (from + i) * 900_000, value: i }));
      const first = opened.store.importReadings(
        (async function* () {
          yield readings(0);
          firstStarted();
          await firstHolds;
          yield readings(3);
        })(),
        { onlyIntoEmpty: true },
      );
      await started;
      let secondSettled = false;
      const second = other.importReadings(batchesOf([readings(0)]), { onlyIntoEmpty: true });
      second.then(
        () => (secondSettled = true),
        () => (secondSettled = true),
      );
      // The first holds its transaction open until the second has run into it.
      while (!secondSettled && !(await waitsOnALock(opened.location))) await setTimeout(10);
      releaseFirst();
      assert.deepEqual(await first, { stored: 6, removed: 0, skipped: false });
      assert.deepEqual(await second, { stored: 0, removed: 0, skipped: true });
      assert.equal(await other.count(), 6);
    } finally {
      await other.close();
      await opened.close();
    }
  });
});

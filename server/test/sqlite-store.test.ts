import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CsvFormatError } from "../src/ingest/csv-format-error.js";
import { csvReadings } from "../src/ingest/csv-readings.js";
import { importCsvFile } from "../src/ingest/import-csv-file.js";
import { bundledCsv } from "../src/package-paths.js";
import type { Reading, TimeRange } from "../src/readings/reading.js";
import { DuplicateTimeError } from "../src/store/duplicate-time-error.js";
import { SqliteStore } from "../src/store/sqlite-store.js";
import { referenceData } from "./support/reference-data.js";
import { temporaryFolder } from "./support/test-server.js";

async function readAll(store: SqliteStore, range: TimeRange, batchSize = 1000): Promise<Reading[][]> {
  const batches: Reading[][] = [];
  for await (const batch of store.readBatches(range, batchSize)) batches.push(batch);
  return batches;
}

function csv(text: string): AsyncIterable<string> {
  return [text][Symbol.iterator]() as unknown as AsyncIterable<string>;
}

describe("the SQLite store", () => {
  let folder: string;
  let store: SqliteStore;

  before(async () => {
    folder = temporaryFolder();
    store = new SqliteStore(join(folder, "readings.db"));
    assert.deepEqual(await importCsvFile(store, bundledCsv), { stored: referenceData.count, removed: 0 });
  });

  after(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

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
    const summary = await store.summarize({});
    assert.equal(summary.count, referenceData.count);
    assert.equal(summary.missingCount, 1);
    assert.equal(summary.firstTime, Date.parse(referenceData.first.time));
    assert.equal(summary.lastTime, Date.parse(referenceData.last.time));
    assert.equal(summary.min, referenceData.min);
    assert.equal(summary.max, referenceData.max);
    assert.ok(Math.abs(summary.mean! * referenceData.valueCount - summary.sum) < 1e-6);
    assert.deepEqual(await store.summarize({ start: 0, end: 1 }), {
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

  it("stops reading when the reader stops", async () => {
    let batches = 0;
    for await (const _ of store.readBatches({}, 10)) {
      if (++batches === 2) break;
    }
    assert.equal(batches, 2);
    assert.equal(await store.count(), referenceData.count);
  });

  it("stores nothing of a file with a bad row, and names the row", async () => {
    const good = Array.from({ length: 5000 }, (_, i) => `${new Date(Date.UTC(2020, 0, 1) + i * 900_000).toISOString()},${i}`);
    const text = `time,v\n${good.join("\n")}\n2020-06-01 00:00:00,oops\n`;
    await assert.rejects(store.importReadings(csvReadings(csv(text))), (error: unknown) => {
      assert.ok(error instanceof CsvFormatError);
      assert.equal(error.line, 5002);
      return true;
    });
    assert.equal(await store.count(), referenceData.count);
  });

  it("refuses a time that appears twice in the file, naming both lines", async () => {
    const empty = new SqliteStore(join(folder, "empty.db"));
    const text = "time,v\n2020-01-01 00:00:00,1\n2020-01-01 00:15:00,2\n2020-01-01 00:00:00,3\n";
    await assert.rejects(empty.importReadings(csvReadings(csv(text))), (error: unknown) => {
      assert.ok(error instanceof DuplicateTimeError);
      assert.equal(error.message, "line 4: a reading for 2020-01-01T00:00:00Z appears twice: first on line 2");
      return true;
    });
    assert.equal(await empty.count(), 0);
    await empty.close();
  });

  it("refuses a time that is already stored, storing nothing of the file", async () => {
    const text = "time,v\n2030-01-01 00:00:00,1\n2019-01-01 00:15:00,55.09\n";
    await assert.rejects(store.importReadings(csvReadings(csv(text))), /^DuplicateTimeError: line 3: a reading for 2019-01-01T00:15:00Z is already stored/);
    assert.equal(await store.count(), referenceData.count);
  });
});

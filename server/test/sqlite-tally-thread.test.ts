import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import fc from "fast-check";
import type { Reading } from "../src/readings/reading.js";
import type { Tally, TimeSpan } from "../src/readings/tally.js";
import { DamagedChunkError } from "../src/store/chunks/damaged-chunk-error.js";
import { SqliteChunks } from "../src/store/sqlite/sqlite-chunks.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { tallyMeters } from "../src/store/sqlite/sqlite-tally.js";
import { TallyThread } from "../src/store/sqlite/tally-thread.js";
import { storedTallies, talliesOf } from "./support/stored-tallies.js";
import { temporaryFolder } from "./support/test-server.js";

const start = Date.UTC(2019, 2, 25);
const hour = 3_600_000;
const days = 12;
// Enough meters that their tally by the hour is worth sharing with the thread: 72 meters of 288 hours.
const meterNames = Array.from({ length: 72 }, (_, index) => `flat-${String(index + 1).padStart(2, "0")}`);
const hours: TimeSpan[] = Array.from({ length: days * 24 }, (_, index) => ({ start: start + index * hour, end: start + (index + 1) * hour }));

/** A reading every 15 minutes for 12 days, some without a value, and a gap of a few hours now and then. */
function seedReadings(meter: number): Reading[] {
  const readings: Reading[] = [];
  let n = meter + 1;
  for (let i = 0; i < days * 96; i++) {
    n = (n * 1_103_515_245 + 12_345) % 2 ** 31;
    if (n % 211 < 2) i += 12;
    else readings.push({ time: start + i * 900_000, value: n % 53 === 0 ? null : (n % 100_000) / 100 - 50 });
  }
  return readings;
}

/** A span's tally worked out the slow way: its readings one by one, in time order. */
function bruteForce(readings: Reading[], { start: from, end }: TimeSpan): Tally {
  const values = readings.filter(({ time }) => time >= from && time < end).map(({ value }) => value);
  const valued = values.filter((value) => value !== null);
  const tally: Tally = { count: valued.length, missingCount: values.length - valued.length, sum: valued.reduce((sum, value) => sum + value, 0) };
  if (valued.length > 0) Object.assign(tally, { min: Math.min(...valued), max: Math.max(...valued) });
  return tally;
}

/** The meters' ids in the file, as the store gave them. */
function meterIds(path: string): number[] {
  const db = new Database(path, { readonly: true });
  const idOf = new Map(db.prepare<[], [string, number]>("SELECT name, id FROM meters").raw().all());
  db.close();
  return meterNames.map((name) => idOf.get(name)!);
}

describe("the SQLite store's tally thread", () => {
  let folder: string;
  let path: string;
  let ids: number[];
  before(async () => {
    folder = temporaryFolder();
    path = join(folder, "fleet.db");
    const store = new SqliteStore(path);
    await store.appendReadings(meterNames.map((meter, index) => ({ meter, readings: seedReadings(index) })));
    await store.close();
    ids = meterIds(path);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("adds up a share figure for figure as the store's own thread does, for random spans with gaps between them", async () => {
    const thread = new TallyThread(path);
    const db = new Database(path, { readonly: true });
    const chunks = new SqliteChunks(db);
    try {
      assert.equal(await thread.start(), true);
      const cuts = fc.uniqueArray(fc.integer({ min: start - 2 * hour, max: start + (days + 1) * 24 * hour }), { minLength: 2, maxLength: 60 });
      await fc.assert(
        fc.asyncProperty(cuts, fc.integer({ min: 0, max: meterNames.length - 2 }), fc.boolean(), async (times, first, gaps) => {
          const sorted = [...times].sort((a, b) => a - b);
          const spans = sorted.slice(0, -1).flatMap((time, index) => (gaps && index % 3 === 2 ? [] : [{ start: time, end: sorted[index + 1] }]));
          fc.pre(spans.length > 0);
          const shareIds = ids.slice(first, first + 20);
          const names = meterNames.slice(first, first + 20);
          const shared = await thread.share(shareIds, names, spans);
          assert.ok(shared !== undefined, "the idle thread takes the share");
          assert.deepEqual(talliesOf(shared), talliesOf(tallyMeters(chunks, shareIds, names, spans)));
        }),
        { numRuns: 40 },
      );
    } finally {
      db.close();
      await thread.close();
    }
  });

  it("gives a store's tally of many meters by the hour exactly what brute force adds up, on every call as the thread starts and shares", async () => {
    const store = new SqliteStore(path);
    const expected = meterNames.map((_, index) => hours.map((span) => bruteForce(seedReadings(index), span)));
    try {
      for (let call = 0; call < 6; call++) {
        // Two at once: one may share while the other adds up alone.
        const [first, second] = await Promise.all([storedTallies(store, meterNames, hours), storedTallies(store, [...meterNames].reverse(), hours)]);
        assert.deepEqual(first, expected);
        assert.deepEqual(second, [...expected].reverse());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await store.close();
    }
  });

  it("fails a share holding a damaged chunk, after which the store's tally names the meter and the thread takes the next share", async () => {
    const damagedFolder = temporaryFolder();
    const damagedPath = join(damagedFolder, "damaged.db");
    const store = new SqliteStore(damagedPath);
    await store.appendReadings(meterNames.map((meter, index) => ({ meter, readings: seedReadings(index) })));
    await store.close();
    const damagedMeter = meterNames.at(-1)!;
    const db = new Database(damagedPath);
    const [chunkId, data] = db
      .prepare<[string], [number, Buffer]>("SELECT c.id, c.data FROM chunks AS c JOIN meters AS m ON m.id = c.meter WHERE m.name = ? ORDER BY c.start LIMIT 1")
      .raw()
      .get(damagedMeter)!;
    data[data.length >> 1] ^= 0x10;
    db.prepare("UPDATE chunks SET data = ? WHERE id = ?").run(data, chunkId);
    db.close();
    const damagedIds = meterIds(damagedPath);
    const thread = new TallyThread(damagedPath);
    const reopened = new SqliteStore(damagedPath);
    try {
      assert.equal(await thread.start(), true);
      assert.equal(await thread.share(damagedIds.slice(-10), meterNames.slice(-10), hours), undefined);
      const healthy = await thread.share(damagedIds.slice(0, 10), meterNames.slice(0, 10), hours);
      assert.ok(healthy !== undefined);
      assert.deepEqual(talliesOf(healthy), meterNames.slice(0, 10).map((_, index) => hours.map((span) => bruteForce(seedReadings(index), span))));
      for (let call = 0; call < 3; call++) {
        await assert.rejects(reopened.tallyColumns(meterNames, hours), (error) => error instanceof DamagedChunkError && error.meter === damagedMeter);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await thread.close();
      await reopened.close();
      rmSync(damagedFolder, { recursive: true, force: true });
    }
  });

  it("does not start on a file it cannot open, and then takes no share", async () => {
    const thread = new TallyThread(join(folder, "missing.db"));
    assert.equal(await thread.start(), false);
    assert.equal(thread.share(ids.slice(0, 2), meterNames.slice(0, 2), hours), undefined);
    await thread.close();
  });
});

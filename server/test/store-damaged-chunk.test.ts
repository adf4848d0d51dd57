import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { DamagedChunkError } from "../src/store/chunks/damaged-chunk-error.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { storedReadings } from "./support/stored-readings.js";
import { storedTallies } from "./support/stored-tallies.js";
import { temporaryFolder } from "./support/test-server.js";

const start = Date.UTC(2019, 0, 1);

describe("a SQLite store with a damaged chunk", () => {
  let folder: string;
  let path: string;
  let damagedStart: number;
  before(async () => {
    folder = temporaryFolder();
    path = join(folder, "damaged.db");
    const store = new SqliteStore(path);
    const readings = Array.from({ length: 3_000 }, (_, i) => ({ time: start + i * 900_000, value: (i % 311) / 4 }));
    await store.appendReadings([{ meter: "flat-1", readings }]);
    await store.close();
    // Flip one byte in the middle of the second chunk, as a failing disk might.
    const db = new Database(path);
    const [id, chunkStart, data] = db.prepare("SELECT id, start, data FROM chunks ORDER BY start LIMIT 1 OFFSET 1").raw().get() as [number, number, Buffer];
    data[data.length >> 1] ^= 0x10;
    db.prepare("UPDATE chunks SET data = ? WHERE id = ?").run(data, id);
    db.close();
    damagedStart = chunkStart;
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  function isDamage(error: unknown): boolean {
    assert.ok(error instanceof DamagedChunkError);
    assert.equal(error.meter, "flat-1");
    assert.equal(error.chunkStart, damagedStart);
    assert.match(error.message, /^the stored chunk \d+ of meter flat-1 \(readings from 2019-01-08T\d\d:\d\d:00Z\) is damaged: /);
    return true;
  }

  it("says so, naming the meter and the chunk, on every read that needs that chunk", async () => {
    const store = new SqliteStore(path);
    try {
      await assert.rejects(storedReadings(store, {}, "flat-1"), isDamage);
      await assert.rejects(store.summarize("flat-1", { start: damagedStart + 1 }), isDamage);
      await assert.rejects(storedTallies(store, ["flat-1"], [{ start: damagedStart + 1, end: damagedStart + 86_400_000 }]), isDamage);
      await assert.rejects(store.appendReadings([{ meter: "flat-1", readings: [{ time: damagedStart + 60_000, value: 1 }] }]), isDamage);
    } finally {
      await store.close();
    }
  });

  it("still answers what the other chunks hold, and what the damaged one's stored figures say", async () => {
    const store = new SqliteStore(path);
    try {
      const firstDay = await storedReadings(store, { start, end: start + 86_400_000 }, "flat-1");
      assert.equal(firstDay.length, 96);
      // A span holding the whole damaged chunk reads its figures, not its bytes.
      const summary = await store.summarize("flat-1", {});
      assert.equal(summary.count, 3_000);
    } finally {
      await store.close();
    }
  });
});

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { packageRoot } from "../src/package-paths.js";
import type { Reading } from "../src/readings/reading.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { assertWholeBursts, killLateWriter } from "./support/killed-writer.js";
import { writeSchema2Store } from "./support/schema-2-store.js";
import { temporaryFolder } from "./support/test-server.js";

const yearStart = Date.UTC(2019, 0, 1);

describe("killing the SQLite store with SIGKILL", () => {
  let folder: string;
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("during a burst of late writes into sealed chunks leaves every committed burst and nothing of the one under way", async () => {
    const path = join(folder, "late.db");
    const year: Reading[] = Array.from({ length: 35_040 }, (_, i) => ({ time: yearStart + i * 900_000, value: i % 1000 === 5 ? null : (i % 977) / 100 }));
    const store = new SqliteStore(path);
    await store.appendReadings([{ meter: "flat-1", readings: year }]);
    await store.close();

    const lastAcknowledged = await killLateWriter(join(packageRoot, "server/test/support/late-writer.ts"), [path, "flat-1"], 150);
    const reopened = new SqliteStore(path);
    await assertWholeBursts(reopened, "flat-1", year, lastAcknowledged);
    await reopened.close();
  });

  it("during the rewrite of a schema-2 store leaves the old store whole, and the next start rewrites it", async () => {
    const path = join(folder, "upgrade.db");
    const generated = { meters: 4, readings: 800_000 };
    writeSchema2Store(path, [], generated);
    const upgrader = spawn(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", `import { SqliteStore } from ${JSON.stringify(join(packageRoot, "server/src/store/sqlite/sqlite-store.ts"))}; new SqliteStore(${JSON.stringify(path)});`],
      { stdio: "ignore" },
    );
    const walSize = () => {
      try {
        return statSync(`${path}-wal`).size;
      } catch {
        return 0;
      }
    };
    // Kill it once the rewrite has spilled a good part of its transaction into the log.
    while (walSize() < 2 * 1024 * 1024 && upgrader.exitCode === null) await sleep(2);
    assert.equal(upgrader.exitCode, null, "the upgrade finished before it could be killed; make the store larger");
    upgrader.kill("SIGKILL");
    const [, signal] = await once(upgrader, "exit");
    assert.equal(signal, "SIGKILL");

    const old = new Database(path);
    assert.equal(old.pragma("user_version", { simple: true }), 2);
    assert.deepEqual(old.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all(), ["meters", "readings", "usage_days", "usage_hours"]);
    assert.equal(old.prepare("SELECT count(*) FROM readings").pluck().get(), generated.meters * generated.readings);
    const oldSum = old.prepare("SELECT total(value) FROM readings WHERE meter = 2").pluck().get() as number;
    old.close();

    const store = new SqliteStore(path);
    assert.equal(await store.count(), generated.meters * generated.readings);
    const summary = await store.summarize("generated-2", {});
    assert.equal(summary.count, generated.readings);
    assert.ok(Math.abs(summary.sum - oldSum) < 1e-6 * oldSum);
    await store.close();
  });
});

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import pg from "pg";
import { packageRoot } from "../src/package-paths.js";
import type { Reading } from "../src/readings/reading.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { assertWholeBursts, killLateWriter } from "./support/killed-writer.js";
import { writeSchema2Database } from "./support/schema-2-database.js";
import type { Schema2Row } from "./support/schema-2-store.js";
import { createTestDatabase, queryRows, testPostgres } from "./support/test-postgres.js";

const cluster = testPostgres();
const yearStart = Date.UTC(2019, 0, 1);

/**
 * Waits until no other session is connected to the database: a killed client's backends end
 * once they notice, and until then one may still be committing or rolling back.
 */
async function untilSessionsEnd(url: string): Promise<void> {
  for (;;) {
    const [[others]] = await queryRows<[string]>(url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    if (Number(others) === 0) return;
    await sleep(20);
  }
}


describe("killing a process writing to the PostgreSQL store with SIGKILL", { skip: cluster.skip }, () => {
  it("during a burst of late writes into sealed chunks leaves every committed burst and nothing of the one under way", async () => {
    const database = await createTestDatabase(cluster.url!);
    try {
      const year: Reading[] = Array.from({ length: 35_040 }, (_, i) => ({ time: yearStart + i * 900_000, value: i % 1000 === 5 ? null : (i % 977) / 100 }));
      const store = await PostgresStore.open(database.url);
      await store.appendReadings([{ meter: "flat-1", readings: year }]);
      await store.close();

      const lastAcknowledged = await killLateWriter(join(packageRoot, "server/test/support/postgres-late-writer.ts"), [database.url, "flat-1"], 60);
      await untilSessionsEnd(database.url);
      const reopened = await PostgresStore.open(database.url);
      try {
        await assertWholeBursts(reopened, "flat-1", year, lastAcknowledged);
      } finally {
        await reopened.close();
      }
    } finally {
      await database.drop();
    }
  });

  it("during the rewrite of a schema-2 store leaves the old store whole, and the next start rewrites it", async () => {
    const database = await createTestDatabase(cluster.url!);
    try {
      const meters = 4;
      const perMeter = 120_000;
      const rows: Schema2Row[] = [];
      for (let meter = 0; meter < meters; meter++) {
        for (let i = 0; i < perMeter; i++) rows.push([`generated-${meter}`, yearStart + i * 900_000, i % 501 === 7 ? null : ((i * 37 + meter) % 9973) / 100]);
      }
      await writeSchema2Database(database.url, rows);
      // Every old row, as a fingerprint of its meter, time and value in key order.
      const oldRows = "SELECT count(*), md5(string_agg(meter || ' ' || time || ' ' || coalesce(value::text, '-'), ',' ORDER BY meter, time)) FROM readings";
      const before = await queryRows(database.url, oldRows);

      const upgrader = spawn(process.execPath, [
        "--import",
        "tsx",
        "--input-type=module",
        "-e",
        `import { PostgresStore } from ${JSON.stringify(join(packageRoot, "server/src/store/postgres/postgres-store.ts"))}; await PostgresStore.open(${JSON.stringify(database.url)});`,
      ], { stdio: "ignore" });
      // Kill it once the rewrite has written a good part of the chunks into its transaction.
      // (The chunks table is the upgrade's own until it commits: no other session can name it.)
      const watcher = new pg.Client({ connectionString: database.url });
      await watcher.connect();
      const written = async () => {
        const { rows: copies } = await watcher.query<[string]>({
          text: "SELECT tuples_processed FROM pg_stat_progress_copy WHERE command = 'COPY FROM' AND datname = current_database()",
          rowMode: "array",
        });
        return copies.length === 0 ? 0 : Number(copies[0][0]);
      };
      while ((await written()) < 100 && upgrader.exitCode === null) await sleep(2);
      await watcher.end();
      assert.equal(upgrader.exitCode, null, "the upgrade finished before it could be killed; make the store larger");
      upgrader.kill("SIGKILL");
      const [, signal] = await once(upgrader, "exit");
      assert.equal(signal, "SIGKILL");
      await untilSessionsEnd(database.url);

      const tables = await queryRows<[string]>(database.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      assert.deepEqual(tables.flat(), ["meters", "readings", "usage_days", "usage_hours"]);
      assert.deepEqual(await queryRows(database.url, oldRows), before);
      assert.equal(before[0][0], String(meters * perMeter));

      const store = await PostgresStore.open(database.url);
      try {
        assert.equal(await store.count(), meters * perMeter);
        const summary = await store.summarize("generated-2", {});
        const [[meterSum]] = await queryRows<[number]>(database.url, "SELECT sum(value_sum) FROM chunks WHERE meter = (SELECT id FROM meters WHERE name = 'generated-2')");
        assert.equal(summary.count, perMeter);
        assert.equal(summary.sum, meterSum);
        const expectedSum = rows.filter(([meter]) => meter === "generated-2").reduce((sum, [, , value]) => sum + (value ?? 0), 0);
        assert.ok(Math.abs(summary.sum - expectedSum) < 1e-9 * expectedSum);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { importCsvFile } from "../src/ingest/import-csv-file.js";
import { bundledCsv, packageRoot } from "../src/package-paths.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { referenceData } from "./support/reference-data.js";
import { spawnService } from "./support/spawn-service.js";
import { writeSyntheticCsv } from "./support/synthetic-csv.js";
import { temporaryFolder } from "./support/test-server.js";

// Chunks store a reading in about 2 bytes, so the import must be large for its transaction to
// spill past SQLite's page cache into the log before it commits.
const bigRows = 3_000_000;

describe("killing an import with SIGKILL", () => {
  let folder: string;
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it(`leaves the store exactly as it was before the ${bigRows.toLocaleString("en-US")}-row import, and it serves`, async () => {
    const db = join(folder, "crash.db");
    const store = new SqliteStore(db);
    await importCsvFile(store, bundledCsv);
    await store.close();
    const big = join(folder, "big.csv");
    await writeSyntheticCsv(big, bigRows);

    const importer = spawn(process.execPath, ["--import", "tsx", join(packageRoot, "server/src/cli.ts"), "import", big, "--db", db], {
      stdio: "ignore",
    });
    const wal = `${db}-wal`;
    const walSize = () => {
      try {
        return statSync(wal).size;
      } catch {
        return 0;
      }
    };
    // Kill it once the import has written a good part of its transaction, well before it ends.
    while (walSize() < 1024 * 1024 && importer.exitCode === null) await sleep(5);
    assert.equal(importer.exitCode, null, "the import finished before it could be killed; make the file larger");
    importer.kill("SIGKILL");
    const [, signal] = await once(importer, "exit");
    assert.equal(signal, "SIGKILL");

    const reopened = new SqliteStore(db);
    const summary = await reopened.summarize("meterusage", {});
    await reopened.close();
    assert.equal(summary.count, referenceData.count);
    assert.equal(summary.max, referenceData.max);

    const service = await spawnService(["--db", db]);
    const body = (await (await fetch(`${service.baseUrl}/api/readings?start=2019-01-31`)).json()) as { readings: unknown[] };
    service.child.kill("SIGTERM");
    await once(service.child, "exit");
    assert.equal(body.readings.length, 96);
  });
});

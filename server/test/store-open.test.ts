import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { importCsvFile } from "../src/ingest/import-csv-file.js";
import { bundledCsv, packageRoot } from "../src/package-paths.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { temporaryFolder } from "./support/test-server.js";

const cli = [process.execPath, "--import", "tsx", join(packageRoot, "server/src/cli.ts")];
const runningAsRoot = process.getuid?.() === 0;

/** `meterusage serve` as the given user; root ignores file modes, so read-only is tried as nobody. */
function serve(db: string, asNobody = false) {
  const command = asNobody ? ["runuser", "-u", "nobody", "--", ...cli] : cli;
  const result = spawnSync(command[0], [...command.slice(1), "serve", "--port", "0", "--db", db], {
    encoding: "utf8",
    cwd: packageRoot,
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe("opening the database", () => {
  let folder: string;
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("refuses at start-up a file that is not SQLite", () => {
    const db = join(folder, "notes.txt");
    writeFileSync(db, "these are not readings\n".repeat(100));
    const { status, stderr } = serve(db);
    assert.equal(status, 1);
    assert.equal(stderr.trim(), `meterusage: cannot use the database ${db}: the file is not an SQLite database`);
  });

  it("refuses at start-up a database in a folder that does not exist", () => {
    const db = join(folder, "no-such-folder", "readings.db");
    const { status, stderr } = serve(db);
    assert.equal(status, 1);
    assert.match(stderr, /^meterusage: cannot use the database .*readings\.db: Cannot open database because the directory does not exist/);
  });

  it("refuses at start-up a database it cannot write", async () => {
    const db = join(folder, "read-only.db");
    const store = new SqliteStore(join(folder, "source.db"));
    await importCsvFile(store, bundledCsv);
    await store.close();
    copyFileSync(join(folder, "source.db"), db);
    chmodSync(db, 0o444);
    chmodSync(folder, 0o555);
    try {
      const { status, stderr } = serve(db, runningAsRoot);
      assert.equal(status, 1, stderr);
      assert.match(stderr, /^meterusage: cannot use the database .*read-only\.db: the file or its folder cannot be written/);
    } finally {
      chmodSync(folder, 0o700);
    }
  });
});

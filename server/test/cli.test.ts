import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { bundledCsv, packageRoot } from "../src/package-paths.js";
import { SqliteStore } from "../src/store/sqlite-store.js";
import { referenceData } from "./support/reference-data.js";
import { temporaryFolder } from "./support/test-server.js";

const cli = ["--import", "tsx", join(packageRoot, "server/src/cli.ts")];

function meterusage(...args: string[]) {
  const result = spawnSync(process.execPath, [...cli, ...args], {
    encoding: "utf8",
    env: { ...process.env, METERUSAGE_DB: "", PORT: "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function countIn(db: string): Promise<number> {
  const store = new SqliteStore(db);
  try {
    return await store.count();
  } finally {
    await store.close();
  }
}

describe("the meterusage command", () => {
  let folder: string;
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("imports a CSV and says how many readings it stored", async () => {
    const db = join(folder, "import.db");
    const { status, stdout } = meterusage("import", bundledCsv, "--db", db);
    assert.equal(status, 0);
    assert.equal(stdout.trim(), `stored ${referenceData.count} readings from ${bundledCsv} in ${db}`);
    assert.equal(await countIn(db), referenceData.count);
  });

  it("refuses a CSV with a bad row, naming the line, and stores nothing", async () => {
    const db = join(folder, "refused.db");
    meterusage("import", bundledCsv, "--db", db);
    const bad = join(folder, "bad.csv");
    writeFileSync(bad, "time,meterusage\n2020-01-01 00:00:00,1\n2020-01-01 00:15:00,1\n2020-01-01 00:30:00,lots\n");
    const { status, stderr } = meterusage("import", bad, "--db", db);
    assert.equal(status, 1);
    assert.equal(stderr.trim(), 'meterusage: nothing was stored: line 4: the value "lots" is not a number (write NaN or leave it empty for a missing reading)');
    assert.equal(await countIn(db), referenceData.count);
  });

  it("says so when the file does not exist", () => {
    const { status, stderr } = meterusage("import", join(folder, "missing.csv"), "--db", join(folder, "x.db"));
    assert.equal(status, 1);
    assert.match(stderr, /^meterusage: ENOENT: no such file or directory, open '.*missing\.csv'/);
  });

  it("prints help for itself and for each command", () => {
    assert.match(meterusage("--help").stdout, /^Usage: meterusage <command>/);
    const serveHelp = meterusage("serve", "--help").stdout;
    assert.match(serveHelp, /^Usage: meterusage serve \[options\]/);
    for (const env of ["PORT", "METERUSAGE_HOST", "METERUSAGE_DB", "METERUSAGE_INGEST_TOKEN", "METERUSAGE_CORS_ORIGINS", "METERUSAGE_SHUTDOWN_GRACE_MS"]) {
      assert.match(serveHelp, new RegExp(`env ${env}`), env);
    }
    assert.match(meterusage("import", "--help").stdout, /^Usage: meterusage import FILE\.csv/);
  });

  it("refuses unknown commands, unknown options and bad ports with usage and exit code 2", () => {
    assert.equal(meterusage("frobnicate").status, 2);
    const unknownOption = meterusage("import", "--colour");
    assert.equal(unknownOption.status, 2);
    assert.match(unknownOption.stderr, /Unknown option '--colour'/);
    const badPort = meterusage("serve", "--port", "eighty");
    assert.equal(badPort.status, 2);
    assert.match(badPort.stderr, /^meterusage: the port must be a whole number from 0 to 65535, not "eighty"/);
  });

  it("serves an empty store after importing the bundled data, and stops on SIGTERM", async () => {
    const db = join(folder, "serve.db");
    const child = spawn(process.execPath, [...cli, "serve", "--port", "0", "--host", "127.0.0.1", "--db", db], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8");
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (chunk: string) => {
        output += chunk;
        const match = /on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.once("exit", () => reject(new Error(`serve exited early: ${output}`)));
    });
    assert.match(output, /the store was empty; imported 2975 readings from the bundled/);
    const body = (await (await fetch(`http://127.0.0.1:${port}/api/readings`)).json()) as { readings: unknown[] };
    assert.equal(body.readings.length, referenceData.count);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
  });
});

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { bundledCsv } from "../src/package-paths.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { cliArgs, meterusage, modulesImportedBy } from "./support/meterusage-command.js";
import { referenceData } from "./support/reference-data.js";
import { temporaryFolder } from "./support/test-server.js";

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
    assert.equal(stderr.trim(), 'meterusage: nothing was stored: line 4: the value "lots" of meter meterusage is not a number (write NaN or leave it empty for a missing reading)');
    assert.equal(await countIn(db), referenceData.count);
  });

  it("checks a file with --dry-run without storing it", async () => {
    const db = join(folder, "dry.db");
    const { status, stdout } = meterusage("import", bundledCsv, "--db", db, "--dry-run");
    assert.equal(status, 0);
    assert.match(stdout, /^dry run: .* is fine; importing it would store 2975 readings in .*\. Nothing was stored\./);
    assert.equal(await countIn(db), 0);
  });

  it("replaces the readings of the file's meters with --replace, in one transaction, and leaves other meters be", async () => {
    const db = join(folder, "replace.db");
    meterusage("import", bundledCsv, "--db", db);
    const other = join(folder, "other.csv");
    writeFileSync(other, "time,kwh\n2020-01-01 00:00:00,1\n");
    meterusage("import", other, "--db", db);
    const small = join(folder, "small.csv");
    writeFileSync(small, "time,kwh\n2020-01-01 00:00:00,1\n2020-01-01 00:15:00,2\n");
    const { status, stdout } = meterusage("import", small, "--db", db, "--replace", "--meter", "meterusage");
    assert.equal(status, 0);
    assert.match(stdout, /^stored 2 readings from .* replacing 2975$/m);
    assert.equal(await countIn(db), 3);

    const bad = join(folder, "bad-replacement.csv");
    writeFileSync(bad, "time,meterusage,kwh\n2021-01-01 00:00:00,1,1\n2021-01-01 00:15:00,1,oops\n");
    assert.equal(meterusage("import", bad, "--db", db, "--replace").status, 1);
    assert.equal(await countIn(db), 3, "a failed replace keeps what was stored");
  });

  it("reports progress as plain lines when stderr is not a terminal", () => {
    const big = join(folder, "big.csv");
    const start = Date.UTC(2020, 0, 1);
    const rows = Array.from({ length: 400_000 }, (_, i) => `${new Date(start + i * 900_000).toISOString()},${i % 97}`);
    writeFileSync(big, `time,kwh\n${rows.join("\n")}\n`);
    const { status, stderr } = meterusage("import", big, "--db", join(folder, "big.db"));
    assert.equal(status, 0);
    assert.doesNotMatch(stderr, /\r|\x1b/, "no terminal control characters in a log");
    for (const line of stderr.trim().split("\n").filter(Boolean)) {
      assert.match(line, /^ *\d+% [\d,]+ readings, [\d,]+ readings\/s$/);
    }
  });

  it("exports a range as CSV that imports back exactly, missing values as NaN", async () => {
    const db = join(folder, "export.db");
    meterusage("import", bundledCsv, "--db", db);
    const exported = meterusage("export", "--db", db);
    assert.equal(exported.status, 0);
    const lines = exported.stdout.trim().split("\n");
    assert.equal(lines[0], "time,meterusage");
    assert.equal(lines[1], "2019-01-01T00:15:00Z,55.09");
    assert.ok(lines.includes("2019-01-17T02:45:00Z,NaN"));
    assert.equal(lines.length, referenceData.count + 1);

    const copy = join(folder, "exported.csv");
    writeFileSync(copy, exported.stdout);
    const copyDb = join(folder, "copy.db");
    assert.equal(meterusage("import", copy, "--db", copyDb).status, 0);
    assert.equal(meterusage("export", "--db", copyDb).stdout, exported.stdout);

    const day = meterusage("export", "--db", db, "--start", "2019-01-02", "--end", "2019-01-03");
    assert.equal(day.stdout.trim().split("\n").length, 97);
    const inverted = meterusage("export", "--db", db, "--start", "2019-01-03", "--end", "2019-01-02");
    assert.equal(inverted.status, 2);
    assert.match(inverted.stderr, /^meterusage: start \(2019-01-03T00:00:00Z\) is after end/);
  });

  it("says so when the file does not exist", () => {
    const { status, stderr } = meterusage("import", join(folder, "missing.csv"), "--db", join(folder, "x.db"));
    assert.equal(status, 1);
    assert.match(stderr, /^meterusage: cannot read .*missing\.csv: no such file or directory$/m);
  });

  it("prints help for itself and for each command", () => {
    assert.match(meterusage("--help").stdout, /^Usage: meterusage <command>/);
    const serveHelp = meterusage("serve", "--help").stdout;
    assert.match(serveHelp, /^Usage: meterusage serve \[options\]/);
    for (const env of ["PORT", "METERUSAGE_HOST", "METERUSAGE_DB", "METERUSAGE_INGEST_TOKEN", "METERUSAGE_CORS_ORIGINS", "METERUSAGE_SHUTDOWN_GRACE_MS", "METERUSAGE_LOG_LEVEL"]) {
      assert.match(serveHelp, new RegExp(`env ${env}`), env);
    }
    assert.match(meterusage("import", "--help").stdout, /^Usage: meterusage import FILE .*\n[^]*--unit TEXT[^]*--time-zone ZONE/);
    assert.match(meterusage("export", "--help").stdout, /^Usage: meterusage export \[options\][^]*--all/);
    assert.match(meterusage("meters", "--help").stdout, /^Usage: meterusage meters \[options\]\n +meterusage meters set NAME/);
    assert.match(meterusage("meters", "set", "--help").stdout, /^Usage: meterusage meters set NAME \[--unit TEXT\] \[--time-zone ZONE\]/);
  });

  it("loads no package for help, only the command's own light modules", () => {
    for (const args of [["--help"], ["import", "--help"], ["serve", "--help"], ["export", "--help"], ["meters", "--help"], ["meters", "set", "--help"]]) {
      const { status, modules } = modulesImportedBy(...args);
      assert.equal(status, 0);
      assert.deepEqual(modules.filter((url) => url.includes("/node_modules/")), [], `meterusage ${args.join(" ")}`);
    }
    const running = modulesImportedBy("meters", "--db", join(folder, "loads.db"));
    assert.ok(running.modules.some((url) => url.includes("/node_modules/better-sqlite3/")), "the hooks see a command load its store");
  });

  it("refuses unknown commands, unknown options and bad ports with usage and exit code 2", () => {
    assert.equal(meterusage("frobnicate").status, 2);
    const unknownOption = meterusage("import", "--colour");
    assert.equal(unknownOption.status, 2);
    assert.match(unknownOption.stderr, /Unknown option '--colour'/);
    const badPort = meterusage("serve", "--port", "eighty");
    assert.equal(badPort.status, 2);
    assert.match(badPort.stderr, /^meterusage: the port must be a whole number from 0 to 65535, not "eighty"/);
    const badZone = meterusage("serve", "--time-zone", "Europe/Lundon");
    assert.equal(badZone.status, 2);
    assert.match(badZone.stderr, /^meterusage: --time-zone: the time zone "Europe\/Lundon" is not an IANA time zone/);
  });

  it("serves an empty store after importing the bundled data, in the meters' time zone, and stops on SIGTERM", async () => {
    const db = join(folder, "serve.db");
    const child = spawn(process.execPath, [...cliArgs, "serve", "--port", "0", "--host", "127.0.0.1", "--db", db, "--time-zone", "Europe/London"], {
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
    const { meters } = (await (await fetch(`http://127.0.0.1:${port}/api/meters`)).json()) as { meters: { timeZone: string }[] };
    assert.equal(meters[0].timeZone, "Europe/London");
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
  });
});

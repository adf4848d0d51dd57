import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

// Playwright loads this file again in every worker; the ports and databases chosen by the
// first load travel to the workers in the environment, so all of them test the same servers.
if (process.env.METERUSAGE_E2E_PORT === undefined) process.env.METERUSAGE_E2E_PORT = freePort();
process.env.METERUSAGE_E2E_DB ??= join(tmpdir(), `meterusage-e2e-${process.pid}-${Date.now()}.db`);
const port = process.env.METERUSAGE_E2E_PORT;
const database = process.env.METERUSAGE_E2E_DB;
const origin = `http://127.0.0.1:${port}`;

// A second server that takes new readings, for the tests of live updates: the first one must
// keep exactly the bundled readings that the other tests count on.
if (process.env.METERUSAGE_E2E_LIVE_PORT === undefined) process.env.METERUSAGE_E2E_LIVE_PORT = freePort();
process.env.METERUSAGE_E2E_LIVE_DB ??= join(tmpdir(), `meterusage-e2e-live-${process.pid}-${Date.now()}.db`);
process.env.METERUSAGE_E2E_INGEST_TOKEN ??= `e2e-${process.pid}-${Date.now()}`;
const livePort = process.env.METERUSAGE_E2E_LIVE_PORT;
const liveDatabase = process.env.METERUSAGE_E2E_LIVE_DB;
const liveOrigin = `http://127.0.0.1:${livePort}`;

// A third server whose store holds ten small meters (client/e2e/support/meters.csv), for the
// tests of choosing and comparing meters. The live server holds them too, after the bundled
// meter, which stays its default one.
if (process.env.METERUSAGE_E2E_METERS_PORT === undefined) process.env.METERUSAGE_E2E_METERS_PORT = freePort();
process.env.METERUSAGE_E2E_METERS_DB ??= join(tmpdir(), `meterusage-e2e-meters-${process.pid}-${Date.now()}.db`);
const metersPort = process.env.METERUSAGE_E2E_METERS_PORT;
const metersDatabase = process.env.METERUSAGE_E2E_METERS_DB;
const metersOrigin = `http://127.0.0.1:${metersPort}`;
const metersCsv = "client/e2e/support/meters.csv";
const cli = "node dist/server/src/cli.js";

// A fourth server whose every request needs a token of a fixture file, for the sign-in tests.
if (process.env.METERUSAGE_E2E_TOKENS_PORT === undefined) process.env.METERUSAGE_E2E_TOKENS_PORT = freePort();
process.env.METERUSAGE_E2E_TOKENS_DB ??= join(tmpdir(), `meterusage-e2e-tokens-${process.pid}-${Date.now()}.db`);
const tokensPort = process.env.METERUSAGE_E2E_TOKENS_PORT;
const tokensDatabase = process.env.METERUSAGE_E2E_TOKENS_DB;

const debianChromium = "/usr/bin/chromium";
const executablePath = process.env.CHROMIUM_PATH || (existsSync(debianChromium) ? debianChromium : undefined);

/** A port nobody listens on: the config must be synchronous, so a child process asks the system for one. */
function freePort(): string {
  const script = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`could not find a free port: ${result.stderr}`);
  return result.stdout.trim();
}

// A server whose meters are in Europe/London, for the usage view: the bundled meter seeded into
// its empty store and the meters the tests store there get that zone.
if (process.env.METERUSAGE_E2E_LONDON_PORT === undefined) process.env.METERUSAGE_E2E_LONDON_PORT = freePort();
process.env.METERUSAGE_E2E_LONDON_DB ??= join(tmpdir(), `meterusage-e2e-london-${process.pid}-${Date.now()}.db`);
const londonOrigin = `http://127.0.0.1:${process.env.METERUSAGE_E2E_LONDON_PORT}`;

export default defineConfig({
  testDir: "client/e2e",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  reporter: "list",
  globalTeardown: ["./client/e2e/support/remove-database.ts", "./client/e2e/support/remove-london-database.ts"],
  use: {
    baseURL: origin,
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  // The real built service (npm run build comes first) on databases of its own, which it
  // fills with the bundled readings on start.
  webServer: [
    {
      command:
        `${cli} serve --port ${process.env.METERUSAGE_E2E_LONDON_PORT} --host 127.0.0.1 ` +
        `--db "${process.env.METERUSAGE_E2E_LONDON_DB}" --time-zone Europe/London --ingest-token ${process.env.METERUSAGE_E2E_INGEST_TOKEN}`,
      url: `${londonOrigin}/api/meters`,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      timeout: 60_000,
    },
    {
      command: `${cli} serve --port ${port} --host 127.0.0.1 --db "${database}"`,
      url: `${origin}/api/readings?start=2019-01-01&end=2019-01-01`,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      timeout: 60_000,
    },
    {
      command:
        `${cli} import server/data/meterusage.csv --db "${liveDatabase}" && ${cli} import ${metersCsv} --db "${liveDatabase}" && ` +
        `${cli} serve --port ${livePort} --host 127.0.0.1 --db "${liveDatabase}" --ingest-token ${process.env.METERUSAGE_E2E_INGEST_TOKEN}`,
      url: `${liveOrigin}/api/readings?start=2019-01-01&end=2019-01-01`,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      timeout: 60_000,
    },
    {
      command: `${cli} import ${metersCsv} --db "${metersDatabase}" && ${cli} serve --port ${metersPort} --host 127.0.0.1 --db "${metersDatabase}"`,
      url: `${metersOrigin}/api/meters`,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      timeout: 60_000,
    },
    {
      command: `${cli} serve --port ${tokensPort} --host 127.0.0.1 --db "${tokensDatabase}" --tokens client/e2e/support/tokens.json`,
      url: `http://127.0.0.1:${tokensPort}/healthz`,
      reuseExistingServer: false,
      stdout: "ignore",
      stderr: "pipe",
      timeout: 60_000,
    },
  ],
});

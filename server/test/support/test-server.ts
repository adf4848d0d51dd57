import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { IngestTokenPolicy } from "../../src/access/ingest-token-policy.js";
import { startApp, type AppOptions, type RunningApp } from "../../src/app.js";
import { importCsvFile } from "../../src/ingest/import-csv-file.js";
import { builtPage, bundledCsv } from "../../src/package-paths.js";
import { availabilityChecks } from "../../src/store/availability/availability-checks.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";

export interface TestServer {
  baseUrl: string;
  app: RunningApp;
  port: number;
  store: SqliteStore;
  /** Every log entry the service wrote, parsed. */
  logEntries: Record<string, unknown>[];
  /** The entries at error level or above; a test that expects none checks this is empty. */
  loggedErrors: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface TestServerOptions extends Pick<AppOptions, "access" | "follow" | "corsOrigins" | "limits" | "tls"> {
  /** `serve --ingest-token`: a shorthand for that access policy. */
  ingestToken?: string;
}

/** POSTs a CSV body to the service's /api/readings with an ingest token, as a client storing readings does. */
export function postCsv(server: TestServer, csv: string, token: string): Promise<Response> {
  return fetch(`${server.baseUrl}/api/readings`, {
    method: "POST",
    body: csv,
    headers: { "content-type": "text/csv", authorization: `Bearer ${token}` },
  });
}

/** A real service on a free loopback port, over a temporary SQLite file holding the bundled data. */
export async function startTestServer({ ingestToken, ...options }: TestServerOptions = {}): Promise<TestServer> {
  const folder = temporaryFolder();
  const path = join(folder, "readings.db");
  const store = new SqliteStore(path);
  await importCsvFile(store, bundledCsv);
  const logEntries: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logEntries.push(JSON.parse(line)) });
  const app = await startApp({
    store,
    storeChecks: availabilityChecks(store, path),
    staticRoot: builtPage,
    port: 0,
    host: "127.0.0.1",
    logger,
    access: new IngestTokenPolicy(ingestToken),
    ...options,
  });
  return {
    baseUrl: `${options.tls ? "https" : "http"}://127.0.0.1:${app.port}`,
    port: app.port,
    app,
    store,
    logEntries,
    get loggedErrors() {
      return logEntries.filter((entry) => (entry.level as number) >= 50);
    },
    async close() {
      await app.shutdown();
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export function temporaryFolder(): string {
  return mkdtempSync(join(tmpdir(), "meterusage-test-"));
}

import { parseArgs } from "node:util";
import { startApp } from "../app.js";
import { importCsvFile } from "../ingest/import-csv-file.js";
import { builtPage, bundledCsv } from "../package-paths.js";
import { SqliteStore } from "../store/sqlite-store.js";
import { databasePath, defaultDatabase, defaultPort, portNumber } from "./options.js";

export const serveUsage = `Usage: meterusage serve [--port N] [--host HOST] [--db PATH] [--ingest-token TOKEN]

Serves the stored readings on one port: gRPC (HTTP/2 cleartext), gRPC-Web, Connect,
GET /api/readings as JSON, and the page at /. A store with no readings is first
filled from the bundled meterusage.csv.

Options:
  --port N      port to listen on; 0 picks a free one (env PORT, default ${defaultPort})
  --host HOST   address to listen on (default: every address)
  --db PATH     SQLite database file (env METERUSAGE_DB, default ${defaultDatabase})
  --ingest-token TOKEN
                turns on ingest (AppendReadings, POST /api/readings) for clients that send
                Authorization: Bearer TOKEN (env METERUSAGE_INGEST_TOKEN; default: ingest off)
  -h, --help    show this help`;

export async function serveCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      db: { type: "string" },
      "ingest-token": { type: "string" },
    },
  });
  const port = portNumber(values.port);
  const db = databasePath(values.db);
  const store = new SqliteStore(db);
  if ((await store.count()) === 0) {
    const { stored } = await importCsvFile(store, bundledCsv);
    console.log(`meterusage: the store was empty; imported ${stored} readings from the bundled ${bundledCsv}`);
  }
  const ingestToken = values["ingest-token"] ?? process.env.METERUSAGE_INGEST_TOKEN;
  const listener = await startApp({ store, staticRoot: builtPage, port, host: values.host, ingestToken });
  const shown = values.host ?? "localhost";
  console.log(`meterusage: serving ${await store.count()} readings from ${db} on http://${shown}:${listener.port}`);
  console.log("meterusage: gRPC (h2c), gRPC-Web, Connect, GET /api/readings and the page, all on this port");
  console.log(ingestToken ? "meterusage: ingest is on (bearer token required)" : "meterusage: ingest is off (no --ingest-token)");

  const stop = async () => {
    await listener.close();
    await store.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

// Imports a CSV into a new store through the service's own import path, and reports how long
// it took, from opening the store to closing it (which checkpoints SQLite's write-ahead log).
// The store is an SQLite file or a postgres:// URL, as `meterusage import --db` takes.
import { importBuilt } from "../dist-modules.js";
import { peakRssMb } from "../process-memory.js";

const [csv, location] = process.argv.slice(2);
const { importCsvFile } = await importBuilt<typeof import("../../server/src/ingest/import-csv-file.js")>(
  "server/src/ingest/import-csv-file.ts",
);
const { openStore } = await importBuilt<typeof import("../../server/src/store/open-store.js")>("server/src/store/open-store.ts");

const started = performance.now();
const store = await openStore(location);
const { stored } = await importCsvFile(store, csv);
await store.close();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows: stored, seconds, peakRssMb: peakRssMb("self") }));

// Opens a store of an earlier schema, which rewrites it to chunks in one transaction, and
// reports how long that took, from opening the store to closing it (SQLite then compacts the
// file and checkpoints its log). The store is an SQLite file or a postgres:// URL.
import { importBuilt } from "../dist-modules.js";
import { peakRssMb } from "../process-memory.js";

const [location] = process.argv.slice(2);
const { openStore } = await importBuilt<typeof import("../../server/src/store/open-store.js")>("server/src/store/open-store.ts");

const started = performance.now();
const store = await openStore(location);
const rows = await store.count();
await store.close();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows, seconds, peakRssMb: peakRssMb("self") }));

// The import's reference: a bare better-sqlite3 loop, one prepared INSERT run per row, in one
// transaction, into a table of a row a reading (the store's layout before chunks) with the
// store's pragmas. It encodes no chunks and keeps no meter figures, which the import does. The
// rows are made in memory before the clock starts, so only the inserting is timed. The file it
// leaves is what the stream references read.
import Database from "better-sqlite3";
import { peakRssMb } from "../process-memory.js";
import { createRowReference } from "../row-reference-schema.js";
import { syntheticTime, syntheticValue } from "../synthetic-readings.js";

const [db, countText] = process.argv.slice(2);
const count = Number(countText);
const times = Array.from({ length: count }, (_, i) => syntheticTime(i));
const values = Array.from({ length: count }, (_, i) => syntheticValue(i));

const started = performance.now();
const database = new Database(db);
database.pragma("journal_mode = WAL");
database.pragma("synchronous = FULL");
createRowReference(database);
const meter = 1;
const insert = database.prepare("INSERT INTO readings (meter, time, value) VALUES (?, ?, ?)");
database.transaction(() => {
  for (let i = 0; i < count; i++) insert.run(meter, times[i], values[i]);
})();
database.close();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows: count, seconds, peakRssMb: peakRssMb("self") }));

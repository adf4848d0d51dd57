// The import's reference: a bare better-sqlite3 loop, one prepared INSERT run per row, in one
// transaction, into the store's schema with the store's pragmas. The rows are made in memory
// before the clock starts, so only the inserting is timed.
import Database from "better-sqlite3";
import { peakRssMb } from "../process-memory.js";
import { syntheticTime, syntheticValue } from "../synthetic-readings.js";

const [db, countText] = process.argv.slice(2);
const count = Number(countText);
const times = Array.from({ length: count }, (_, i) => syntheticTime(i));
const values = Array.from({ length: count }, (_, i) => syntheticValue(i));

const started = performance.now();
const database = new Database(db);
database.pragma("journal_mode = WAL");
database.exec("CREATE TABLE readings (time INTEGER PRIMARY KEY, value REAL) STRICT");
const insert = database.prepare("INSERT INTO readings (time, value) VALUES (?, ?)");
database.transaction(() => {
  for (let i = 0; i < count; i++) insert.run(times[i], values[i]);
})();
database.close();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows: count, seconds, peakRssMb: peakRssMb("self") }));

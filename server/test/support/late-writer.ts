// Writes bursts of late readings into a SQLite store until killed, printing each burst's
// number once its transaction has committed: the process the crash test kills with SIGKILL.
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { lateBurst } from "./late-bursts.js";

const [path, meter] = process.argv.slice(2);
const store = new SqliteStore(path);
for (let burst = 0; ; burst++) {
  await store.appendReadings([{ meter, readings: lateBurst(burst) }]);
  process.stdout.write(`${burst}\n`);
}

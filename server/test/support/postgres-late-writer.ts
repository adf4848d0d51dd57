// Writes bursts of late readings into a PostgreSQL store until killed, printing each burst's
// number once its transaction has committed: the process the crash test kills with SIGKILL.
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { lateBurst } from "./late-bursts.js";

const [url, meter] = process.argv.slice(2);
const store = await PostgresStore.open(url);
for (let burst = 0; ; burst++) {
  await store.appendReadings([{ meter, readings: lateBurst(burst) }]);
  process.stdout.write(`${burst}\n`);
}

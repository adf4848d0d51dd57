// Sets each fleet meter's time zone through the store, as `meterusage meters set NAME
// --time-zone ZONE` does, without a process a meter. The store is an SQLite file or a
// postgres:// URL.
import { importBuilt } from "../dist-modules.js";
import { fleetMeter, fleetMeterZone } from "../fleet-readings.js";

const [location, meters] = process.argv.slice(2);
const { openStore } = await importBuilt<typeof import("../../server/src/store/open-store.js")>("server/src/store/open-store.ts");
const store = await openStore(location);
try {
  for (let index = 0; index < Number(meters); index++) await store.setMeterSettings(fleetMeter(index), { timeZone: fleetMeterZone(index) });
} finally {
  await store.close();
}
console.log(JSON.stringify({ meters: Number(meters) }));

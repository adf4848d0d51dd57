// Puts the fleet's tariffs and the dynamic one's prices through the store, as `meterusage
// tariffs set`, `prices import` and `meters set NAME --tariff` do, and prices every meter by
// the one named. The store is an SQLite file or a postgres:// URL.
import { importBuilt } from "../dist-modules.js";
import { fleetMeter } from "../fleet-readings.js";
import { dynamicPrices, dynamicTariff, timeOfUseTariff, type FleetPricing } from "../fleet-tariffs.js";

const [location, meters, pricing] = process.argv.slice(2) as [string, string, FleetPricing];
const { openStore } = await importBuilt<typeof import("../../server/src/store/open-store.js")>("server/src/store/open-store.ts");
const store = await openStore(location);
try {
  await store.tariffs.putTariff(timeOfUseTariff);
  await store.tariffs.putTariff(dynamicTariff);
  await store.tariffs.putPrices(dynamicTariff.name, dynamicPrices());
  const tariff = pricing === "dynamic" ? dynamicTariff.name : timeOfUseTariff.name;
  for (let index = 0; index < Number(meters); index++) await store.tariffs.setMeterTariff(fleetMeter(index), tariff);
} finally {
  await store.close();
}
console.log(JSON.stringify({ meters: Number(meters), pricing }));

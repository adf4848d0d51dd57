// `node --import tsx bench/measure-pricing.ts FLEET.db [meters]` measures pricing in-process on
// a copy of the fleet's store (it writes tariffs into it): the CPU time of readPricedUsage for
// each cost case, median of several runs, beside readUsage of the same question without cost.
// CPU time, not wall time, so that it can be compared on a shared machine.
import { readPricedUsage } from "../server/src/pricing/read-priced-usage.js";
import { openStore } from "../server/src/store/open-store.js";
import type { ReadingStore } from "../server/src/store/reading-store.js";
import { readUsage, type UsageRequest } from "../server/src/usage/read-usage.js";
import { fleetMeter, fleetYear, fleetZones } from "./fleet-readings.js";
import { dynamicPrices, dynamicTariff, timeOfUseTariff } from "./fleet-tariffs.js";

const [location, meterCount = "1000"] = process.argv.slice(2);
if (location === undefined) throw new Error("usage: measure-pricing.ts FLEET.db [meters]");
const meters = Number(meterCount);
const store = await openStore(location);
try {
  await store.tariffs.putTariff(timeOfUseTariff);
  await store.tariffs.putTariff(dynamicTariff);
  await store.tariffs.putPrices(dynamicTariff.name, dynamicPrices());
  const all = await Promise.all(Array.from({ length: meters }, async (_, index) => (await store.meter(fleetMeter(index)))!));
  const oneYear: UsageRequest = { meters: [all[0]], range: fleetYear, period: "day", timeZone: fleetZones.even };
  const fleetMonth: UsageRequest = { meters: all, range: { start: Date.UTC(2019, 5, 1), end: Date.UTC(2019, 6, 1) }, period: "day", timeZone: fleetZones.even };
  const cases = [
    { name: "one meter, a year by day, time-of-use", tariff: timeOfUseTariff.name, request: oneYear, runs: 15 },
    { name: "one meter, a year by day, dynamic (17,520 prices)", tariff: dynamicTariff.name, request: oneYear, runs: 15 },
    { name: "1,000 meters and their total, a month by day, time-of-use", tariff: timeOfUseTariff.name, request: fleetMonth, runs: 5 },
  ];
  for (const { name, tariff, request, runs } of cases) {
    await priceBy(store, request, "");
    const withoutCost = await cpuMs(() => readUsage(store, request), runs);
    await priceBy(store, request, tariff);
    const withCost = await cpuMs(() => readPricedUsage(store, request), runs);
    const first = (await readPricedUsage(store, request)).meters[0].periods;
    const cost = first.reduce((sum, period) => sum + (period.cost ?? 0), 0);
    console.log(`${name}: priced ${withCost.toFixed(1)} ms CPU, without cost ${withoutCost.toFixed(1)} ms CPU (median of ${runs}); first meter's cost ${cost.toFixed(6)}`);
  }
} finally {
  await store.close();
}

async function priceBy(store: ReadingStore, request: UsageRequest, tariff: string): Promise<void> {
  for (const { name } of request.meters) await store.tariffs.setMeterTariff(name, tariff);
}

/** The median CPU time (user and system) of the runs, after one run not counted. */
async function cpuMs(run: () => Promise<unknown>, runs: number): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    await run();
    const { user, system } = process.cpuUsage(before);
    times.push((user + system) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

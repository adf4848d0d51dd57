import type { Price, Tariff } from "../server/src/tariffs/tariff.js";
import { fleetYear } from "./fleet-readings.js";

/** Which tariff the fleet's meters are priced by while cost is measured. */
export type FleetPricing = "time-of-use" | "dynamic";

const halfHour = 30 * 60_000;

/**
 * An Octopus-like time-of-use tariff in UK local time: a cheap night, a peak early evening,
 * standard the rest of the day, with a standing charge; its windows move in UTC with summer time.
 */
export const timeOfUseTariff: Tariff = {
  name: "fleet-time-of-use",
  currency: "GBP",
  timeZone: "Europe/London",
  versions: [
    {
      validFrom: Date.UTC(2018, 11, 31),
      standingChargePerDay: 0.4779,
      dynamic: false,
      rates: [
        { price: 0.085, windowStart: "00:30", windowEnd: "04:30", days: [] },
        { price: 0.3512, windowStart: "16:00", windowEnd: "19:00", days: [] },
        { price: 0.2711, windowStart: "", windowEnd: "", days: [] },
      ],
    },
  ],
};

/** An Agile-like tariff: every reading priced by the half-hour's price. */
export const dynamicTariff: Tariff = {
  name: "fleet-dynamic",
  currency: "GBP",
  timeZone: "Europe/London",
  versions: [{ validFrom: Date.UTC(2018, 11, 31), standingChargePerDay: 0.4917, dynamic: true, rates: [] }],
};

/** 17,520 half-hourly prices through 2019, some negative, dearer in the evening. */
export function dynamicPrices(): Price[] {
  const prices: Price[] = [];
  let n = 7;
  for (let start = fleetYear.start; start < fleetYear.end; start += halfHour) {
    n = (n * 1_103_515_245 + 12_345) % 2 ** 31;
    const evening = new Date(start).getUTCHours() >= 16 && new Date(start).getUTCHours() < 19 ? 0.15 : 0;
    prices.push({ start, end: start + halfHour, price: Math.round((n % 400) / 10 - 5) / 100 + evening });
  }
  return prices;
}

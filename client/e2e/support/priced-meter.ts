import { execFileSync } from "node:child_process";
import type { APIRequestContext } from "@playwright/test";
import { londonService, storeLondonReadings } from "./london-service.js";

/** A meter of the Europe/London server priced by an Octopus-like tariff: a night rate and a standing charge. */
export const pricedMeter = "priced";

const tariff = {
  currency: "GBP",
  timeZone: "Europe/London",
  versions: [{ validFrom: "2019-01-01T00:00:00Z", standingChargePerDay: 0.45, rates: [{ price: 0.085, windowStart: "00:30", windowEnd: "04:30" }, { price: 0.27 }] }],
};

/**
 * Stores the london readings under the priced meter, the tariff through PUT /api/tariffs, and
 * gives the meter the tariff with `meterusage meters set`, as a user would, on the server's
 * store; doing it again changes nothing, so every test may.
 */
export async function setUpPricedMeter(request: APIRequestContext): Promise<void> {
  await storeLondonReadings(request, pricedMeter);
  const response = await request.put(`${londonService.origin}/api/tariffs/e2e-night`, {
    headers: { authorization: `Bearer ${process.env.METERUSAGE_E2E_INGEST_TOKEN}`, "content-type": "application/json" },
    data: JSON.stringify(tariff),
  });
  if (!response.ok()) throw new Error(`storing the tariff failed: HTTP ${response.status()} ${await response.text()}`);
  execFileSync(process.execPath, ["dist/server/src/cli.js", "meters", "set", pricedMeter, "--tariff", "e2e-night", "--db", process.env.METERUSAGE_E2E_LONDON_DB!]);
}

interface CostAnswer {
  currency: string;
  meters: { meter: string; unit: string; currency: string; periods: { start: string; sum: number; energyCost: number; standingCharge: number; cost: number }[] }[];
}

/** What GET /api/usage answers for the priced meter (or another), to check the page against. */
export async function pricedUsage(request: APIRequestContext, period: string, start: string, end: string, meter = pricedMeter): Promise<CostAnswer> {
  const query = new URLSearchParams({ meter, period, start, end });
  const response = await request.get(`${londonService.origin}/api/usage?${query}`);
  if (!response.ok()) throw new Error(`GET /api/usage failed: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as CostAnswer;
}

/** An amount as the page writes it: "GBP 71.23". */
export function moneyText(amount: number): string {
  return `GBP ${new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount)}`;
}

/** A meter priced by an Agile-like dynamic tariff whose half-hourly prices are below zero all of 27 March 2019. */
export const agileMeter = "agile";

/** Stores the agile meter, its tariff and its prices as setUpPricedMeter does; doing it again changes nothing. */
export async function setUpAgileMeter(request: APIRequestContext): Promise<void> {
  await storeLondonReadings(request, agileMeter);
  const headers = { authorization: `Bearer ${process.env.METERUSAGE_E2E_INGEST_TOKEN}`, "content-type": "application/json" };
  const tariff = { currency: "GBP", timeZone: "Europe/London", versions: [{ validFrom: "2019-01-01T00:00:00Z", standingChargePerDay: 0.4, dynamic: true }] };
  const stored = await request.put(`${londonService.origin}/api/tariffs/e2e-agile`, { headers, data: JSON.stringify(tariff) });
  if (!stored.ok()) throw new Error(`storing the tariff failed: HTTP ${stored.status()} ${await stored.text()}`);
  const halfHour = 1_800_000;
  const negativeDay = { start: Date.parse("2019-03-27T00:00:00Z"), end: Date.parse("2019-03-28T00:00:00Z") };
  const prices = [];
  for (let start = Date.parse("2019-03-18T00:00:00Z"); start < Date.parse("2019-04-02T00:00:00Z"); start += halfHour) {
    const price = start >= negativeDay.start && start < negativeDay.end ? -0.2 : 0.15;
    prices.push({ start: new Date(start).toISOString(), end: new Date(start + halfHour).toISOString(), price });
  }
  const put = await request.post(`${londonService.origin}/api/tariffs/e2e-agile/prices`, { headers, data: JSON.stringify({ prices }) });
  if (!put.ok()) throw new Error(`storing the prices failed: HTTP ${put.status()} ${await put.text()}`);
  execFileSync(process.execPath, ["dist/server/src/cli.js", "meters", "set", agileMeter, "--tariff", "e2e-agile", "--db", process.env.METERUSAGE_E2E_LONDON_DB!]);
}

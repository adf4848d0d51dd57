import type { APIRequestContext } from "@playwright/test";

/**
 * The test server whose meters are in Europe/London (see playwright.config.ts), and its meter
 * "london": hourly readings over the two weeks before 2 April 2019, local time, which take in
 * the spring clock change of 31 March.
 */
export const londonService = {
  origin: `http://127.0.0.1:${process.env.METERUSAGE_E2E_LONDON_PORT}`,
  meter: "london",
};

const hourMs = 3_600_000;
const firstTime = Date.parse("2019-03-18T00:00:00Z");
// Local midnight starting 2 April, in summer time.
const endTime = Date.parse("2019-04-01T23:00:00Z");

/** The reading of the london meter at `time`: higher in the evening and at weekends, so every chart has shape. */
export function londonReading(time: number): number {
  const hours = (time - firstTime) / hourMs;
  const utcHour = new Date(time).getUTCHours();
  const weekday = new Date(time).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 0.8 : 0;
  return Math.round((1 + utcHour * 0.1 + weekend + hours * 0.001) * 1000) / 1000;
}

/**
 * Stores the london meter's readings, or the same times under another meter with every value
 * scaled; storing them again stores nothing, so every test may.
 */
export async function storeLondonReadings(request: APIRequestContext, meter = londonService.meter, scale = 1): Promise<void> {
  const rows = [];
  for (let time = firstTime; time < endTime; time += hourMs) {
    rows.push(`${new Date(time).toISOString().slice(0, 19).replace("T", " ")},${scaledReading(time, scale)}`);
  }
  const response = await request.post(`${londonService.origin}/api/readings?meter=${meter}`, {
    headers: { authorization: `Bearer ${process.env.METERUSAGE_E2E_INGEST_TOKEN}`, "content-type": "text/csv" },
    data: ["time,value", ...rows, ""].join("\n"),
  });
  if (!response.ok()) throw new Error(`storing the ${meter} readings failed: HTTP ${response.status()} ${await response.text()}`);
}

/** The london meter's reading scaled, to the thousandth as the meters store them. */
export function scaledReading(time: number, scale: number): number {
  return Math.round(londonReading(time) * scale * 1000) / 1000;
}

interface UsageAnswer {
  timeZone: string;
  meters: { meter: string; periods: { start: string; end: string; count: number; sum: number }[] }[];
}

/** What GET /api/usage answers for the london meter, to check the page against. */
export async function londonUsage(request: APIRequestContext, period: string, start: string, end: string): Promise<UsageAnswer> {
  const query = new URLSearchParams({ meter: londonService.meter, period, start, end });
  const response = await request.get(`${londonService.origin}/api/usage?${query}`);
  if (!response.ok()) throw new Error(`GET /api/usage failed: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as UsageAnswer;
}

/** A sum as the page shows it. */
export function usageText(value: number, unit = ""): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 }).format(value) + (unit === "" ? "" : ` ${unit}`);
}

import type { APIRequestContext } from "@playwright/test";

/**
 * The second test server (see playwright.config.ts), which takes new readings: tests that
 * store readings use it, so that the other tests' server keeps exactly the bundled ones.
 */
export const liveService = {
  origin: `http://127.0.0.1:${process.env.METERUSAGE_E2E_LIVE_PORT}`,
  token: process.env.METERUSAGE_E2E_INGEST_TOKEN,
};

/**
 * Stores readings the way a meter's gateway would: a CSV body to POST /api/readings, for the
 * service's default meter unless `meter` names another.
 */
export async function storeReadings(request: APIRequestContext, rows: string[], meter?: string): Promise<void> {
  const query = meter === undefined ? "" : `?meter=${meter}`;
  const response = await request.post(`${liveService.origin}/api/readings${query}`, {
    headers: { authorization: `Bearer ${liveService.token}`, "content-type": "text/csv" },
    data: ["time,value", ...rows, ""].join("\n"),
  });
  if (!response.ok()) throw new Error(`storing readings failed: HTTP ${response.status()} ${await response.text()}`);
}

import type { Grant } from "../access/access-policy.js";
import type { ReadingStore } from "../store/reading-store.js";
import { checkTariffName } from "../pricing/check-tariff.js";
import { pricesFromCsv } from "../pricing/prices-csv.js";
import { pricesFromJson, tariffFromJson, tariffJson } from "../pricing/tariff-json.js";
import { readBody } from "./append-route.js";
import type { HttpRequest, HttpResponse } from "./http-types.js";
import { sendError, sendJson } from "./send-json.js";
import { maxRequestBytes } from "../ingest/ingest-limits.js";

/**
 * GET /api/tariffs lists the tariffs; PUT /api/tariffs/NAME stores the tariff of its JSON body
 * (Connect's JSON names), replacing one of that name whole; POST /api/tariffs/NAME/prices
 * stores prices from a CSV of start,end,price or JSON {"prices":[...]}. Writes need the
 * right to write tariffs.
 */
export async function serveTariffs(store: ReadingStore, grant: Grant, request: HttpRequest, response: HttpResponse, pathname: string): Promise<void> {
  const [name, rest, ...beyond] = pathname.slice("/api/tariffs".length).split("/").slice(1);
  if (name === undefined) {
    if (request.method !== "GET" && request.method !== "HEAD") return sendError(response, 405, `${request.method} is not allowed on ${pathname}: use GET`);
    return sendJson(response, 200, { tariffs: (await store.tariffs.tariffs()).map(tariffJson) });
  }
  const tariff = checkTariffName(name, "the tariff in the path");
  if (rest === undefined) {
    if (request.method !== "PUT") return sendError(response, 405, `${request.method} is not allowed on ${pathname}: use PUT`);
    grant.checkTariffs();
    const body = await jsonBody(request, response);
    if (body === undefined) return;
    const stored = tariffFromJson(body, tariff);
    await store.tariffs.putTariff(stored);
    return sendJson(response, 200, tariffJson(stored));
  }
  if (rest === "prices" && beyond.length === 0) {
    if (request.method !== "POST") return sendError(response, 405, `${request.method} is not allowed on ${pathname}: use POST`);
    grant.checkTariffs();
    const type = contentType(request);
    if (type !== "text/csv" && type !== "application/json") {
      return sendError(response, 415, `send the prices as text/csv or application/json, not ${JSON.stringify(type || "no content type")}`);
    }
    const body = await readBody(request);
    if (body === undefined) return sendError(response, 413, `the body is larger than ${maxRequestBytes} bytes`);
    const text = body.toString("utf8");
    const prices = type === "text/csv" ? pricesFromCsv(text) : pricesFromJson(text);
    return sendJson(response, 200, { stored: await store.tariffs.putPrices(tariff, prices) });
  }
  sendError(response, 404, `nothing at ${pathname}`);
}

/** The body's text; when it is not JSON of a size allowed, the answer is sent and undefined returned. */
async function jsonBody(request: HttpRequest, response: HttpResponse): Promise<string | undefined> {
  const type = contentType(request);
  if (type !== "application/json") {
    sendError(response, 415, `send the tariff as application/json, not ${JSON.stringify(type || "no content type")}`);
    return undefined;
  }
  const body = await readBody(request);
  if (body === undefined) {
    sendError(response, 413, `the body is larger than ${maxRequestBytes} bytes`);
    return undefined;
  }
  return body.toString("utf8");
}

function contentType(request: HttpRequest): string {
  return (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

import type { Grant } from "../access/access-policy.js";
import { appendAsGranted } from "../access/logged-append.js";
import type { MeterChoice } from "../access/meter-choice.js";
import { csvBodyReadings } from "../ingest/csv-body-readings.js";
import { maxRequestBytes } from "../ingest/ingest-limits.js";
import { jsonReadings } from "../ingest/json-readings.js";
import { checkMeterName } from "../meters/meter-name.js";
import type { Logger } from "../observability/logger.js";
import type { MeterReadings, ReadingStore } from "../store/reading-store.js";
import type { HttpRequest, HttpResponse } from "./http-types.js";
import { sendError, sendJson } from "./send-json.js";

/**
 * POST /api/readings[?meter=NAME] with a text/csv or application/json body stores its
 * readings in one transaction and answers {"stored":n,"alreadyStored":m}. A CSV names its
 * meters as an import does; `meter` names the meter of a one-column CSV or of a JSON body
 * that names none ({"meter":…,"readings":[…]}); without either, the default meter.
 */
export async function appendReadings(
  store: ReadingStore,
  meters: MeterChoice,
  grant: Grant,
  logger: Logger,
  request: HttpRequest,
  response: HttpResponse,
  query: URLSearchParams,
): Promise<void> {
  const named = query.get("meter") || undefined;
  if (named !== undefined) checkMeterName(named, "the `meter` parameter");
  // A caller who may ingest nowhere is refused before the body is read.
  if (!grant.mayIngestAnywhere()) grant.checkIngest(named ?? (await meters.defaultMeter()));

  const type = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "text/csv" && type !== "application/json") {
    return sendError(response, 415, `send the readings as text/csv or application/json, not ${JSON.stringify(type || "no content type")}`);
  }
  const body = await readBody(request);
  if (body === undefined) return sendError(response, 413, `the body is larger than ${maxRequestBytes} bytes`);
  let batches: MeterReadings[];
  if (type === "text/csv") {
    batches = await csvBodyReadings([body], { meter: named, valueColumnMeter: await meters.defaultMeter() });
  } else {
    const { meter, readings } = jsonReadings(body.toString("utf8"));
    batches = [{ meter: await meters.toWrite(meter ?? named, grant, "the `meter` field"), readings }];
  }
  sendJson(response, 200, await appendAsGranted(store, batches, grant, logger));
}

/** The whole body, or undefined once it grows past the limit. */
export async function readBody(request: HttpRequest): Promise<Buffer | undefined> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxRequestBytes) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxRequestBytes) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

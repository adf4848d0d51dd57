import type { Grant } from "../access/access-policy.js";
import { appendAsGranted } from "../access/logged-append.js";
import type { MeterChoice } from "../access/meter-choice.js";
import { bodyReadings } from "../ingest/csv-body-readings.js";
import { maxRequestBytes } from "../ingest/ingest-limits.js";
import { formatOf, inputReadings } from "../ingest/input-readings.js";
import type { FoundMeter, InputFindings, InputFormat } from "../ingest/input-findings.js";
import { MeterTally } from "../ingest/input-findings.js";
import type { InputOptions } from "../ingest/input-options.js";
import { jsonReadings } from "../ingest/json-readings.js";
import { checkMeterName } from "../meters/meter-name.js";
import { whenAnswered } from "../observability/answered.js";
import type { Logger } from "../observability/logger.js";
import { formatTimestamp } from "../readings/timestamp-text.js";
import type { MeterReadings, MeterSettings, ReadingStore } from "../store/reading-store.js";
import { checkTimeZone } from "../usage/time-zone.js";
import type { HttpRequest, HttpResponse } from "./http-types.js";
import { sendError, sendJson } from "./send-json.js";

const xmlTypes = new Set(["application/atom+xml", "application/xml", "text/xml"]);

/**
 * POST /api/readings[?meter=NAME][&tz=ZONE][&file=NAME][&dry_run=1] stores a body's readings in one
 * transaction and answers {"stored":n,"alreadyStored":m}. The body is today's CSV or a Green
 * Button CSV as text/csv, a Green Button ESPI feed as application/atom+xml, application/xml or
 * text/xml, and as application/json either {"meter":…,"readings":[…]} or Octopus Energy
 * consumption pages, told apart by their shape. `meter` names the meter of a body with one
 * (a one-column CSV, a JSON body naming none, an ESPI feed of one MeterReading, a Green Button
 * CSV or Octopus pages); `file`, the name of the file the body came from, names it otherwise
 * for the formats whose content names none; `tz` is the zone a Green Button CSV's local times
 * are in, and its meters'. With `dry_run`, the body is read and checked, and the answer says
 * what it holds (format, and each meter's count, first and last time and unit), storing nothing.
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
  const zone = query.get("tz") || undefined;
  if (zone !== undefined) checkTimeZone(zone, "the `tz` parameter");
  const dryRun = ["1", "true"].includes(query.get("dry_run") ?? "");
  // A caller who may ingest nowhere is refused before the body is read.
  if (!grant.mayIngestAnywhere()) grant.checkIngest(named ?? (await meters.defaultMeter()));

  const type = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "text/csv" && type !== "application/json" && !xmlTypes.has(type)) {
    return sendError(
      response,
      415,
      `send the readings as text/csv or application/json (or a Green Button feed as application/atom+xml, application/xml or text/xml), not ${JSON.stringify(type || "no content type")}`,
    );
  }
  const body = await readBody(request);
  if (body === undefined) return sendError(response, 413, `the body is larger than ${maxRequestBytes} bytes`);
  const options: InputOptions = {
    meter: named,
    valueColumnMeter: await meters.defaultMeter(),
    timeZone: zone,
    timeZoneOption: "the `tz` parameter",
    fileName: query.get("file") || undefined,
  };
  let batches: MeterReadings[];
  let findings: InputFindings;
  const todaysJson = type === "application/json" ? todaysJsonBody(body) : undefined;
  if (todaysJson !== undefined) {
    const { meter, readings } = jsonReadings(todaysJson);
    batches = [{ meter: await meters.toWrite(meter ?? named, grant, "the `meter` field"), readings }];
    findings = { format: "csv", sources: [], notes: [] };
  } else {
    const format: InputFormat = xmlTypes.has(type) ? "espi" : type === "application/json" ? "octopus-json" : formatOf(body.toString("utf8", 0, 64 * 1024));
    const input = await inputReadings([body], options, format);
    batches = await bodyReadings(input.batches);
    findings = input.findings;
  }
  const found = foundMeters(batches, findings);
  if (dryRun) {
    for (const { meter } of batches) grant.checkIngest(meter);
    return sendJson(response, 200, { dryRun: true, format: todaysJson !== undefined ? "json" : findings.format, meters: found.map(foundJson), notes: findings.notes });
  }
  const afterAnswer = (write: () => void) => whenAnswered(request, write);
  if (todaysJson !== undefined || findings.format === "csv") return sendJson(response, 200, await appendAsGranted(store, batches, grant, logger, afterAnswer));
  // The file's units (and a Green Button CSV's zone) are set with its readings, in one transaction: a refused body changes nothing.
  const meterSettings = new Map<string, MeterSettings>();
  for (const { meter, unit } of found) {
    if (unit !== undefined || findings.format === "green-button-csv") {
      meterSettings.set(meter, { unit, timeZone: findings.format === "green-button-csv" ? zone : undefined });
    }
  }
  const result = await appendAsGranted(store, batches, grant, logger, afterAnswer, { meterSettings });
  sendJson(response, 200, { ...result, format: findings.format, meters: found.map(foundJson), notes: findings.notes });
}

/** The body's text when it is today's JSON, {"readings":[…]} (or not JSON at all, which that reader refuses, saying so); undefined for Octopus pages. */
function todaysJsonBody(body: Buffer): string | undefined {
  const text = body.toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON lines are Octopus pages, a line each; anything else is refused by today's reader.
    return /^\s*\{[^\n]*\}\s*\n\s*\{/.test(text) ? undefined : text;
  }
  if (Array.isArray(parsed)) return undefined;
  return typeof parsed === "object" && parsed !== null && "results" in parsed && !("readings" in parsed) ? undefined : text;
}

function foundMeters(batches: MeterReadings[], findings: InputFindings): FoundMeter[] {
  const tally = new MeterTally();
  for (const { meter, readings } of batches) tally.add(readings.map(({ time, value }) => ({ meter, time, value, line: 0 })));
  return tally.found(findings);
}

function foundJson({ meter, count, firstTime, lastTime, unit, origin }: FoundMeter) {
  return {
    meter,
    count,
    firstTime: firstTime === undefined ? null : formatTimestamp(firstTime),
    lastTime: lastTime === undefined ? null : formatTimestamp(lastTime),
    unit: unit ?? null,
    origin: origin ?? null,
  };
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

import { csvBodyReadings } from "../ingest/csv-body-readings.js";
import { CsvFormatError } from "../ingest/csv-format-error.js";
import { checkIngestAccess, ingestDisabledMessage, ingestUnauthenticatedMessage } from "../ingest/ingest-access.js";
import { IngestError } from "../ingest/ingest-error.js";
import { maxRequestBytes } from "../ingest/ingest-limits.js";
import { jsonReadings } from "../ingest/json-readings.js";
import { ReadingConflictError } from "../store/reading-conflict-error.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { HttpRequest, HttpResponse } from "./http-types.js";
import { sendError, sendJson } from "./send-json.js";

/**
 * POST /api/readings with a text/csv or application/json body stores its readings in one
 * transaction and answers {"stored":n,"alreadyStored":m}.
 */
export async function appendReadings(
  store: ReadingStore,
  ingestToken: string | undefined,
  request: HttpRequest,
  response: HttpResponse,
): Promise<void> {
  const access = checkIngestAccess(ingestToken, request.headers.authorization);
  if (access === "disabled") return sendError(response, 403, ingestDisabledMessage);
  if (access === "unauthenticated") return sendError(response, 401, ingestUnauthenticatedMessage);

  const type = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "text/csv" && type !== "application/json") {
    return sendError(response, 415, `send the readings as text/csv or application/json, not ${JSON.stringify(type || "no content type")}`);
  }
  const body = await readBody(request);
  if (body === undefined) return sendError(response, 413, `the body is larger than ${maxRequestBytes} bytes`);
  try {
    const readings = type === "text/csv" ? await csvBodyReadings([body]) : jsonReadings(body.toString("utf8"));
    sendJson(response, 200, await store.appendReadings(readings));
  } catch (error) {
    if (error instanceof CsvFormatError || error instanceof IngestError) return sendError(response, 400, error.message);
    if (error instanceof ReadingConflictError) return sendError(response, 409, error.message);
    throw error;
  }
}

/** The whole body, or undefined once it grows past the limit. */
async function readBody(request: HttpRequest): Promise<Buffer | undefined> {
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

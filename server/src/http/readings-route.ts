import { once } from "node:events";
import type { Reading, TimeRange } from "../readings/reading.js";
import { checkRange, InvalidRangeError } from "../readings/time-range.js";
import { formatTimestamp, parseTimestamp, timestampFormatHint } from "../readings/timestamp-text.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { HttpRequest, HttpResponse } from "./http-types.js";
import { sendError } from "./send-json.js";

const readingsPerChunk = 1000;

/**
 * GET /api/readings?start=&end=: the readings of a range as
 * {"readings":[{"time":"…Z","value":55.09},…]}, written one chunk per batch so that no
 * response is ever held whole in memory.
 */
export async function serveReadings(
  store: ReadingStore,
  request: HttpRequest,
  response: HttpResponse,
  query: URLSearchParams,
): Promise<void> {
  let range: TimeRange;
  try {
    range = rangeFromQuery(query);
  } catch (error) {
    if (error instanceof InvalidRangeError) return sendError(response, 400, error.message);
    throw error;
  }
  response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  const closed = new AbortController();
  response.once("close", () => closed.abort());
  let separator = "";
  response.write('{"readings":[');
  for await (const batch of store.readBatches(range, readingsPerChunk)) {
    if (closed.signal.aborted) return;
    const chunk = separator + batch.map(readingJson).join(",");
    separator = ",";
    if (!response.write(chunk)) {
      await Promise.race([once(response, "drain"), once(closed.signal, "abort")]);
    }
  }
  response.end("]}");
}

function readingJson(reading: Reading): string {
  return `{"time":"${formatTimestamp(reading.time)}","value":${reading.value ?? "null"}}`;
}

function rangeFromQuery(query: URLSearchParams): TimeRange {
  return checkRange({ start: timeParameter(query, "start"), end: timeParameter(query, "end") });
}

function timeParameter(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === "") return undefined;
  const time = parseTimestamp(text);
  if (time === undefined) {
    throw new InvalidRangeError(name, `the \`${name}\` parameter ${JSON.stringify(text)} is not a time: ${timestampFormatHint}`);
  }
  return time;
}

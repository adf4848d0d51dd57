import { countingRowsSent } from "../observability/rows-sent.js";
import type { Reading, TimeRange } from "../readings/reading.js";
import { csvHeader, csvLines } from "../readings/csv-text.js";
import { InvalidRangeError } from "../readings/time-range.js";
import { formatTimestamp } from "../readings/timestamp-text.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { HttpRequest, HttpResponse } from "./http-types.js";
import { rangeFromQuery } from "./range-from-query.js";
import { sendError } from "./send-json.js";
import { streamResponse } from "./stream-response.js";

const readingsPerChunk = 1000;

/**
 * GET /api/readings?start=&end=[&format=csv]: the readings of a range as
 * {"readings":[{"time":"…Z","value":55.09},…]}, or as a CSV download in the import format,
 * written one chunk per batch so that no response is ever held whole in memory.
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
  const format = query.get("format") ?? "json";
  if (format !== "json" && format !== "csv") {
    return sendError(response, 400, `the \`format\` parameter ${JSON.stringify(format)} is neither json nor csv`);
  }
  const batches = countingRowsSent(store.readBatches(range, readingsPerChunk), response);
  if (format === "csv") {
    response.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${downloadName(range)}"`,
    });
    if (request.method === "HEAD") return void response.end();
    return streamResponse(response, csvChunks(batches));
  }
  response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  if (request.method === "HEAD") return void response.end();
  return streamResponse(response, jsonChunks(batches));
}

async function* jsonChunks(batches: AsyncIterable<Reading[]>): AsyncGenerator<string> {
  let separator = "";
  yield '{"readings":[';
  for await (const batch of batches) {
    yield separator + batch.map(readingJson).join(",");
    separator = ",";
  }
  yield "]}";
}

async function* csvChunks(batches: AsyncIterable<Reading[]>): AsyncGenerator<string> {
  yield csvHeader;
  for await (const batch of batches) yield csvLines(batch);
}

function readingJson(reading: Reading): string {
  return `{"time":"${formatTimestamp(reading.time)}","value":${reading.value ?? "null"}}`;
}

function downloadName(range: TimeRange): string {
  const day = (time: number | undefined, fallback: string) => (time === undefined ? fallback : formatTimestamp(time).slice(0, 10));
  return `meterusage_${day(range.start, "first")}_${day(range.end, "last")}.csv`;
}

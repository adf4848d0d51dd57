import type { Grant } from "../access/access-policy.js";
import type { MeterChoice } from "../access/meter-choice.js";
import { espiFeed } from "../ingest/espi/espi-feed.js";
import { UnknownMeterError } from "../meters/unknown-meter-error.js";
import { addRowsSent, countingRowsSent } from "../observability/rows-sent.js";
import { maxBucketsPerRequest, type Bucket } from "../readings/bucket.js";
import type { Reading, TimeRange } from "../readings/reading.js";
import type { ReadingColumns } from "../readings/reading-columns.js";
import { csvHeader, csvLines } from "../readings/csv-text.js";
import { formatTimestamp } from "../readings/timestamp-text.js";
import { downsample } from "../store/downsample.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { HttpRequest, HttpResponse } from "./http-types.js";
import { rangeFromQuery } from "./range-from-query.js";
import { columnsJson } from "./readings-json.js";
import { sendError, sendJson } from "./send-json.js";
import { streamResponse } from "./stream-response.js";

const readingsPerChunk = 1000;
/** About 300 KB of JSON a write: a year of a meter in seven writes rather than thirty-five. */
const readingsPerJsonWrite = 5000;

/**
 * GET /api/readings?meter=&start=&end=[&format=csv][&max_points=N]: one meter's readings of a range as
 * {"readings":[{"time":"…Z","value":55.09},…]}, or as a CSV download in the import format,
 * written one chunk per batch so that no response is ever held whole in memory. With
 * max_points, a range holding more readings than that comes as {"buckets":[…]} instead.
 */
export async function serveReadings(
  store: ReadingStore,
  meters: MeterChoice,
  grant: Grant,
  request: HttpRequest,
  response: HttpResponse,
  query: URLSearchParams,
): Promise<void> {
  const range = rangeFromQuery(query);
  const meter = await meters.toRead(query.get("meter") ?? undefined, grant, "the `meter` parameter");
  const format = query.get("format") ?? "json";
  if (format !== "json" && format !== "csv" && format !== "espi") {
    return sendError(response, 400, `the \`format\` parameter ${JSON.stringify(format)} is none of json, csv and espi`);
  }
  if (format === "espi") return serveEspi(store, meter, range, request, response);
  const maxPoints = query.get("max_points");
  if (format === "json" && maxPoints !== null && maxPoints !== "") {
    if (!/^\d+$/.test(maxPoints) || Number(maxPoints) > maxBucketsPerRequest) {
      return sendError(response, 400, `the \`max_points\` parameter ${JSON.stringify(maxPoints)} is not a whole number from 0 to ${maxBucketsPerRequest}`);
    }
    const buckets = Number(maxPoints) > 0 ? await downsample(store, meter, range, Number(maxPoints)) : undefined;
    if (buckets !== undefined) return sendJson(response, 200, { buckets: buckets.map(bucketJson) });
  }
  if (format === "csv") {
    const batches = countingRowsSent(store.readBatches(meter, range, readingsPerChunk), response);
    response.writeHead(200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${downloadName(meter, range)}"`,
    });
    if (request.method === "HEAD") return void response.end();
    return streamResponse(response, csvChunks(meter, batches));
  }
  response.writeHead(200, { "content-type": "application/json; charset=utf-8" });
  if (request.method === "HEAD") return void response.end();
  return streamResponse(response, jsonChunks(store.readColumns(meter, range, readingsPerJsonWrite), response));
}

/** One meter's readings as a Green Button ESPI feed; a unit ESPI cannot say is refused before the feed starts. */
async function serveEspi(store: ReadingStore, meter: string, range: TimeRange, request: HttpRequest, response: HttpResponse): Promise<void> {
  const found = await store.meter(meter);
  if (found === undefined) throw new UnknownMeterError(meter);
  const feed = espiFeed(store, found, range);
  // The first chunk is written only once the whole range has been checked.
  const first = await feed.next();
  response.writeHead(200, {
    "content-type": "application/atom+xml; charset=utf-8",
    "content-disposition": `attachment; filename="${downloadName(meter, range, "xml")}"`,
  });
  if (request.method === "HEAD") return void response.end();
  async function* rest(): AsyncGenerator<string> {
    if (first.done !== true) yield first.value;
    yield* feed;
  }
  return streamResponse(response, rest());
}

async function* jsonChunks(batches: AsyncIterable<ReadingColumns>, response: HttpResponse): AsyncGenerator<string | Uint8Array> {
  let separated = false;
  yield '{"readings":[';
  for await (const batch of batches) {
    addRowsSent(response, batch.times.length);
    yield columnsJson(batch, separated);
    separated = true;
  }
  yield "]}";
}

async function* csvChunks(meter: string, batches: AsyncIterable<Reading[]>): AsyncGenerator<string> {
  yield csvHeader(meter);
  for await (const batch of batches) yield csvLines(batch);
}

function bucketJson(bucket: Bucket) {
  return { ...bucket, start: formatTimestamp(bucket.start), end: formatTimestamp(bucket.end) };
}

function downloadName(meter: string, range: TimeRange, extension = "csv"): string {
  const day = (time: number | undefined, fallback: string) => (time === undefined ? fallback : formatTimestamp(time).slice(0, 10));
  return `${meter}_${day(range.start, "first")}_${day(range.end, "last")}.${extension}`;
}

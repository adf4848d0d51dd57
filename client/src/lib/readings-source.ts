import { createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { timestampDate, timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { MeterUsageService, type Reading } from "../../../gen/meterusage/v1/meterusage_pb.js";
import type { ReadingColumns } from "./reading-columns.js";
import { rangeQuery } from "./range-query.js";
import { sendSessionToken, sessionToken, signInMessage } from "./session-token.svelte.js";
import type { TimeRange } from "./time-range.js";
import type { ViewState } from "./url-state.js";

// Binary gRPC-Web (application/grpc-web+proto), the protocol browsers can stream with;
// the page is served by the service itself, so its origin is the service's.
const client = createClient(MeterUsageService, createGrpcWebTransport({ baseUrl: location.origin, interceptors: [sendSessionToken] }));

/** What GetSummary says about a range, with uint64 counts as plain numbers for display. */
export interface Summary {
  count: number;
  missingCount: number;
  firstTime?: number;
  lastTime?: number;
  min?: number;
  max?: number;
  mean?: number;
  sum: number;
}

/** What the service answers instead of readings when a range holds more than a chart can draw. */
export interface Bucket {
  start: number;
  end: number;
  /** Readings with a value. */
  count: number;
  missingCount: number;
  /** Over the readings with a value; absent when none has one. */
  min?: number;
  max?: number;
  mean?: number;
}

/** An answer the service gave in words, such as HTTP 400 {"error": "..."}. */
export class ServiceError extends Error {}

/** A meter as the page names it in requests: "" is the service's default meter. */
export type MeterName = string;

/**
 * Loads one meter's readings of a view's range, handing them over batch by batch as they arrive: many
 * batches from the gRPC-Web stream, one from the JSON route. A live view's stream then goes on
 * with each reading stored later, until the range's end passes. Rejects with the abort reason
 * once `signal` aborts.
 */
export async function loadReadings(
  { mode, range, live }: ViewState,
  meter: MeterName,
  signal: AbortSignal,
  onBatch: (batch: ReadingColumns) => void,
): Promise<void> {
  if (mode === "json") return onBatch(await fetchJsonReadings(range, meter, signal));
  const request = { meter, start: timestamp(range.start), end: timestamp(range.end), follow: live };
  for await (const response of client.streamReadings(request, { signal })) {
    // An idle live stream sends empty messages so that proxies keep it open; they hold nothing to show.
    if (response.readings.length > 0) onBatch(protoColumns(response.readings));
  }
}

/**
 * Asks for the range summarized into at most `maxPoints` buckets, by the view's mode. Only
 * for a range known to hold more readings than that: a smaller one is answered with its
 * readings, which are not buckets.
 */
export async function loadBuckets({ mode, range }: ViewState, meter: MeterName, maxPoints: number, signal: AbortSignal): Promise<Bucket[]> {
  if (mode === "json") return fetchJsonBuckets(range, meter, maxPoints, signal);
  const buckets: Bucket[] = [];
  const request = { meter, start: timestamp(range.start), end: timestamp(range.end), maxPoints };
  for await (const response of client.streamReadings(request, { signal })) {
    for (const { start, end, count, missingCount, min, max, mean } of response.buckets) {
      buckets.push({ start: millis(start) ?? Number.NaN, end: millis(end) ?? Number.NaN, count, missingCount, min, max, mean });
    }
  }
  return buckets;
}

export async function fetchSummary(range: TimeRange, meter: MeterName, signal: AbortSignal): Promise<Summary> {
  const summary = await client.getSummary({ meter, start: timestamp(range.start), end: timestamp(range.end) }, { signal });
  return {
    count: Number(summary.count),
    missingCount: Number(summary.missingCount),
    firstTime: millis(summary.firstTime),
    lastTime: millis(summary.lastTime),
    min: summary.min,
    max: summary.max,
    mean: summary.mean,
    sum: summary.sum,
  };
}

interface JsonReadings {
  readings: { time: string; value: number | null }[];
}

async function fetchJsonReadings(range: TimeRange, meter: MeterName, signal: AbortSignal): Promise<ReadingColumns> {
  const body = await fetchReadingsRoute<JsonReadings>(rangeQuery(range, meter), signal);
  return {
    times: body.readings.map((reading) => Date.parse(reading.time)),
    values: body.readings.map((reading) => reading.value),
  };
}

interface JsonBuckets {
  buckets?: (Omit<Bucket, "start" | "end"> & { start: string; end: string })[];
}

async function fetchJsonBuckets(range: TimeRange, meter: MeterName, maxPoints: number, signal: AbortSignal): Promise<Bucket[]> {
  const query = rangeQuery(range, meter);
  query.set("max_points", String(maxPoints));
  const body = await fetchReadingsRoute<JsonBuckets>(query, signal);
  return (body.buckets ?? []).map((bucket) => ({ ...bucket, start: Date.parse(bucket.start), end: Date.parse(bucket.end) }));
}

function fetchReadingsRoute<T>(query: URLSearchParams, signal: AbortSignal): Promise<T> {
  return fetchJson<T>(`/api/readings?${query}`, signal);
}

/** GET of one of the service's JSON routes; an answer other than 2xx rejects with the service's own words. */
export async function fetchJson<T>(path: string, signal: AbortSignal): Promise<T> {
  return (await (await fetchFromService(path, { signal, accept: "application/json" })).json()) as T;
}

/**
 * A GET of the service with the tab's token, answering the response when it is a success;
 * otherwise a ServiceError with the service's own message, after asking for a token on 401.
 */
export async function fetchFromService(path: string, { signal, accept }: { signal?: AbortSignal; accept?: string } = {}): Promise<Response> {
  const response = await fetch(path, { signal, headers: { ...(accept === undefined ? {} : { accept }), ...sessionToken.headers() } });
  if (response.status === 401) {
    sessionToken.refused();
    throw new ServiceError(signInMessage);
  }
  if (!response.ok) throw new ServiceError(await errorText(response));
  return response;
}

async function errorText(response: Response): Promise<string> {
  const fallback = `The service answered HTTP ${response.status} ${response.statusText}.`.replace(" .", ".");
  try {
    const body = (await response.json()) as { error?: unknown };
    return typeof body.error === "string" ? body.error : fallback;
  } catch {
    return fallback;
  }
}

function protoColumns(readings: Reading[]): ReadingColumns {
  return {
    times: readings.map((reading) => millis(reading.time) ?? Number.NaN),
    values: readings.map((reading) => reading.value ?? null),
  };
}

function timestamp(time: number | undefined): Timestamp | undefined {
  return time === undefined ? undefined : timestampFromMs(time);
}

function millis(time: Timestamp | undefined): number | undefined {
  return time === undefined ? undefined : timestampDate(time).getTime();
}

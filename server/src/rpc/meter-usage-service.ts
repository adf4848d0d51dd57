import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  AppendReadingsResponseSchema,
  GetSummaryResponseSchema,
  MeterUsageService,
  ReadingSchema,
  StreamReadingsResponseSchema,
  type StreamReadingsResponse,
} from "../../../gen/meterusage/v1/meterusage_pb.js";
import { appendAsGranted } from "../access/logged-append.js";
import type { MeterChoice } from "../access/meter-choice.js";
import type { Logger } from "../observability/logger.js";
import type { Reading } from "../readings/reading.js";
import { readingsOf, type ReadingColumns } from "../readings/reading-columns.js";
import type { ReadingStore } from "../store/reading-store.js";
import { downsample } from "../store/downsample.js";
import { bucketMessages, checkMaxPoints } from "./bucket-messages.js";
import { callerGrant } from "./authenticate-rpc.js";
import { preEncodedColumnsResponse, preEncodedResponse } from "./encoded-readings.js";
import { preEncodedMetersResponse, preWrittenMetersJson } from "./encoded-meters.js";
import { preEncodedUsageResponse, preWrittenUsageJson } from "./encoded-usage.js";
import { followedBatches, type FollowPolicy } from "./followed-batches.js";
import { whenCallAnswered } from "./observe-rpc.js";
import { rangeFromRequest } from "./range-from-request.js";
import { readingsFromRequests } from "./readings-from-requests.js";
import { periodFromRequest } from "./usage-messages.js";
import { readPricedUsage } from "../pricing/read-priced-usage.js";
import { tariffRpcs } from "./tariff-rpcs.js";
import { checkTimeZone } from "../usage/time-zone.js";

/**
 * Readings a StreamReadings message carries: about 20 KB, far from any message size limit. A
 * follow stream's messages carry at most this many, and so does a range's first message, so
 * that a reader sees a long range begin as soon as a short one.
 */
export const readingsPerMessage = 1000;
/**
 * Readings each later message of a range carries: about 95 KB. Every message costs connect-node
 * and HTTP/2 a pass of their own (its envelope, a write that waits for the socket to drain), so a
 * meter's year goes in 9 messages rather than 36; a slow reader still holds the service to about
 * two messages read ahead.
 */
export const readingsPerLaterMessage = 5000;

export interface ServiceOptions {
  meters: MeterChoice;
  logger: Logger;
  follow: FollowPolicy;
  /** Ends follow streams cleanly when the service shuts down. */
  shutdownSignal: AbortSignal;
}

export function meterUsageService(store: ReadingStore, options: ServiceOptions): ServiceImpl<typeof MeterUsageService> {
  return {
    async *streamReadings(request, context) {
      const range = rangeFromRequest(request);
      checkMaxPoints(request.maxPoints, request.follow);
      const meter = await options.meters.toRead(request.meter, callerGrant(context.values));
      const buckets = request.maxPoints > 0 ? await downsample(store, meter, range, request.maxPoints) : undefined;
      if (buckets !== undefined) return yield* bucketMessages(buckets);
      const follows = request.follow && (range.end === undefined || range.end > Date.now());
      const json = asksForJson(context.requestHeader);
      if (!follows) {
        // Columns straight from the chunks to the wire: no object per reading on the binary protocols.
        const toMessage = json ? (columns: ReadingColumns) => responseMessage(readingsOf(columns)) : preEncodedColumnsResponse;
        for await (const columns of messageColumns(store.readColumns(meter, range, readingsPerLaterMessage))) {
          if (context.signal.aborted) return;
          yield toMessage(columns);
        }
        return;
      }
      const batches = followedBatches(store, meter, range, readingsPerMessage, AbortSignal.any([context.signal, options.shutdownSignal]), options.follow);
      const toResponse = json ? responseMessage : preEncodedResponse;
      for await (const batch of batches) {
        if (context.signal.aborted) return;
        yield toResponse(batch);
      }
    },

    async getSummary(request, context) {
      const summary = await store.summarize(await options.meters.toRead(request.meter, callerGrant(context.values)), rangeFromRequest(request));
      return create(GetSummaryResponseSchema, {
        ...summary,
        count: BigInt(summary.count),
        missingCount: BigInt(summary.missingCount),
        firstTime: summary.firstTime === undefined ? undefined : timestampFromMs(summary.firstTime),
        lastTime: summary.lastTime === undefined ? undefined : timestampFromMs(summary.lastTime),
      });
    },

    async appendReadings(requests, context) {
      const grant = callerGrant(context.values);
      const batches = await readingsFromRequests(requests, (requested) => options.meters.toWrite(requested, grant, "meter"));
      const result = await appendAsGranted(store, batches, grant, options.logger, (write) => whenCallAnswered(context.values, write));
      return create(AppendReadingsResponseSchema, {
        stored: BigInt(result.stored),
        alreadyStored: BigInt(result.alreadyStored),
      });
    },

    async listMeters(_request, context) {
      const { meters, defaultMeter } = await options.meters.listing(callerGrant(context.values));
      return asksForJson(context.requestHeader) ? preWrittenMetersJson(meters, defaultMeter) : preEncodedMetersResponse(meters, defaultMeter);
    },

    async getUsage(request, context) {
      const period = periodFromRequest(request.period);
      const range = rangeFromRequest(request);
      const timeZone = request.timeZone ? checkTimeZone(request.timeZone, "time_zone") : undefined;
      const asked = request.meters.length > 0 ? request.meters : [""];
      const grant = callerGrant(context.values);
      const meters = await options.meters.metersToRead(asked, grant, (index) => `meters[${index}]`);
      const usage = await readPricedUsage(store, { meters, range, period, timeZone });
      return asksForJson(context.requestHeader) ? preWrittenUsageJson(usage) : preEncodedUsageResponse(usage);
    },

    ...tariffRpcs(store),
  };
}

/** A range's batches as its messages' readings: the first batch's first readingsPerMessage readings as a message of their own, without a copy. */
async function* messageColumns(batches: AsyncIterable<ReadingColumns>): AsyncGenerator<ReadingColumns> {
  let first = true;
  for await (const columns of batches) {
    const count = columns.times.length;
    if (first && count > readingsPerMessage) {
      yield columnsBetween(columns, 0, readingsPerMessage);
      yield columnsBetween(columns, readingsPerMessage, count);
    } else yield columns;
    first = false;
  }
}

function columnsBetween({ times, values }: ReadingColumns, from: number, to: number): ReadingColumns {
  return { times: times.subarray(from, to), values: values.subarray(from, to) };
}

/** gRPC, gRPC-Web and Connect name JSON in the content type (application/grpc+json, ...); binary is the rest. */
function asksForJson(requestHeader: Headers): boolean {
  return /json/i.test(requestHeader.get("content-type") ?? "");
}

function responseMessage(readings: Reading[]): StreamReadingsResponse {
  return create(StreamReadingsResponseSchema, { readings: readings.map(toProtoReading) });
}

function toProtoReading(reading: Reading) {
  return create(ReadingSchema, {
    time: timestampFromMs(reading.time),
    value: reading.value ?? undefined,
  });
}

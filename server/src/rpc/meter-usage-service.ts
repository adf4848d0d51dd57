import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  AppendReadingsResponseSchema,
  GetSummaryResponseSchema,
  MeterUsageService,
  ReadingSchema,
  StreamReadingsResponseSchema,
  type StreamReadingsResponse,
} from "../../../gen/meterusage/v1/meterusage_pb.js";
import type { Reading } from "../readings/reading.js";
import { FollowerTooSlowError } from "../store/follower-too-slow-error.js";
import { NotificationsLostError } from "../store/notifications-lost-error.js";
import { ReadingConflictError } from "../store/reading-conflict-error.js";
import type { ReadingStore } from "../store/reading-store.js";
import { downsample } from "../store/downsample.js";
import { bucketMessages, checkMaxPoints } from "./bucket-messages.js";
import { checkRpcIngestAccess } from "./check-rpc-ingest-access.js";
import { preEncodedResponse } from "./encoded-readings.js";
import { followedBatches, type FollowPolicy } from "./followed-batches.js";
import { rangeFromRequest } from "./range-from-request.js";
import { readingsFromRequests } from "./readings-from-requests.js";

/** Readings a StreamReadings message carries: about 20 KB, far from any message size limit. */
export const readingsPerMessage = 1000;

export interface ServiceOptions {
  ingestToken: string | undefined;
  follow: FollowPolicy;
  /** Ends follow streams cleanly when the service shuts down. */
  shutdownSignal: AbortSignal;
}

export function meterUsageService(store: ReadingStore, options: ServiceOptions): ServiceImpl<typeof MeterUsageService> {
  return {
    async *streamReadings(request, context) {
      const range = rangeFromRequest(request);
      checkMaxPoints(request.maxPoints, request.follow);
      const buckets = request.maxPoints > 0 ? await downsample(store, range, request.maxPoints) : undefined;
      if (buckets !== undefined) return yield* bucketMessages(buckets);
      const follows = request.follow && (range.end === undefined || range.end > Date.now());
      const batches = follows
        ? followedBatches(store, range, readingsPerMessage, AbortSignal.any([context.signal, options.shutdownSignal]), options.follow)
        : store.readBatches(range, readingsPerMessage);
      const toResponse = asksForJson(context.requestHeader) ? responseMessage : preEncodedResponse;
      try {
        for await (const batch of batches) {
          if (context.signal.aborted) return;
          yield toResponse(batch);
        }
      } catch (error) {
        if (error instanceof FollowerTooSlowError) throw new ConnectError(error.message, Code.ResourceExhausted);
        if (error instanceof NotificationsLostError) throw new ConnectError(error.message, Code.Unavailable);
        throw error;
      }
    },

    async getSummary(request) {
      const summary = await store.summarize(rangeFromRequest(request));
      return create(GetSummaryResponseSchema, {
        ...summary,
        count: BigInt(summary.count),
        missingCount: BigInt(summary.missingCount),
        firstTime: summary.firstTime === undefined ? undefined : timestampFromMs(summary.firstTime),
        lastTime: summary.lastTime === undefined ? undefined : timestampFromMs(summary.lastTime),
      });
    },

    async appendReadings(requests, context) {
      checkRpcIngestAccess(options.ingestToken, context.requestHeader);
      const readings = await readingsFromRequests(requests);
      try {
        const result = await store.appendReadings(readings);
        return create(AppendReadingsResponseSchema, {
          stored: BigInt(result.stored),
          alreadyStored: BigInt(result.alreadyStored),
        });
      } catch (error) {
        if (error instanceof ReadingConflictError) throw new ConnectError(error.message, Code.AlreadyExists);
        throw error;
      }
    },
  };
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

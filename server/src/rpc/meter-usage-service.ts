import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  GetSummaryResponseSchema,
  MeterUsageService,
  ReadingSchema,
  StreamReadingsResponseSchema,
} from "../../../gen/meterusage/v1/meterusage_pb.js";
import type { Reading } from "../readings/reading.js";
import type { ReadingStore } from "../store/reading-store.js";
import { rangeFromRequest } from "./range-from-request.js";

/** Readings a StreamReadings message carries: about 20 KB, far from any message size limit. */
export const readingsPerMessage = 1000;

export function meterUsageService(store: ReadingStore): ServiceImpl<typeof MeterUsageService> {
  return {
    async *streamReadings(request, context) {
      const range = rangeFromRequest(request);
      for await (const batch of store.readBatches(range, readingsPerMessage)) {
        if (context.signal.aborted) return;
        yield create(StreamReadingsResponseSchema, { readings: batch.map(toProtoReading) });
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
  };
}

function toProtoReading(reading: Reading) {
  return create(ReadingSchema, {
    time: timestampFromMs(reading.time),
    value: reading.value ?? undefined,
  });
}

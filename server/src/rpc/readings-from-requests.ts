import { Code, ConnectError } from "@connectrpc/connect";
import type { AppendReadingsRequest } from "../../../gen/meterusage/v1/meterusage_pb.js";
import { maxReadingsPerRequest } from "../ingest/ingest-limits.js";
import type { Reading } from "../readings/reading.js";
import { millisOf } from "./range-from-request.js";

/** Gathers and checks the readings of an AppendReadings call, which is one transaction. */
export async function readingsFromRequests(requests: AsyncIterable<AppendReadingsRequest>): Promise<Reading[]> {
  const readings: Reading[] = [];
  for await (const request of requests) {
    for (const reading of request.readings) {
      const where = `readings[${readings.length}]`;
      if (reading.time === undefined) throw invalid(`${where} has no time`);
      const time = millisOf(reading.time, `${where}.time`);
      if (reading.value !== undefined && !Number.isFinite(reading.value)) {
        throw invalid(`${where}.value ${reading.value} is not a finite number (leave it out for a missing reading)`);
      }
      readings.push({ time, value: reading.value ?? null });
      if (readings.length > maxReadingsPerRequest) {
        throw new ConnectError(`one call may carry at most ${maxReadingsPerRequest} readings`, Code.ResourceExhausted);
      }
    }
  }
  return readings;
}

function invalid(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

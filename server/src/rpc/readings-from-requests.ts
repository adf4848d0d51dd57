import { Code, ConnectError } from "@connectrpc/connect";
import type { AppendReadingsRequest } from "../../../gen/meterusage/v1/meterusage_pb.js";
import { maxReadingsPerRequest } from "../ingest/ingest-limits.js";
import type { Reading } from "../readings/reading.js";
import type { MeterReadings } from "../store/reading-store.js";
import { millisOf } from "./range-from-request.js";

/**
 * Gathers and checks the readings of an AppendReadings call, which is one transaction, by
 * meter: each message names its meter, or the default one when it names none.
 */
export async function readingsFromRequests(
  requests: AsyncIterable<AppendReadingsRequest>,
  meterOf: (requested: string) => Promise<string>,
): Promise<MeterReadings[]> {
  const byMeter = new Map<string, Reading[]>();
  let count = 0;
  for await (const request of requests) {
    const meter = await meterOf(request.meter);
    let readings = byMeter.get(meter);
    if (readings === undefined) byMeter.set(meter, (readings = []));
    for (const reading of request.readings) {
      const where = `readings[${count}]`;
      if (reading.time === undefined) throw invalid(`${where} has no time`);
      const time = millisOf(reading.time, `${where}.time`);
      if (reading.value !== undefined && !Number.isFinite(reading.value)) {
        throw invalid(`${where}.value ${reading.value} is not a finite number (leave it out for a missing reading)`);
      }
      readings.push({ time, value: reading.value ?? null });
      if (++count > maxReadingsPerRequest) {
        throw new ConnectError(`one call may carry at most ${maxReadingsPerRequest} readings`, Code.ResourceExhausted);
      }
    }
  }
  return [...byMeter].map(([meter, readings]) => ({ meter, readings }));
}

function invalid(message: string): ConnectError {
  return new ConnectError(message, Code.InvalidArgument);
}

import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { StreamReadingsResponse } from "../../../gen/meterusage/v1/meterusage_pb.js";
import type { Reading } from "../../src/readings/reading.js";

/** Gathers a StreamReadings stream into plain readings, and how many messages carried them. */
export async function collectStream(
  stream: AsyncIterable<StreamReadingsResponse>,
): Promise<{ readings: Reading[]; messages: number }> {
  const readings: Reading[] = [];
  let messages = 0;
  for await (const response of stream) {
    messages++;
    for (const reading of response.readings) {
      readings.push({ time: timestampMs(reading.time!), value: reading.value ?? null });
    }
  }
  return { readings, messages };
}

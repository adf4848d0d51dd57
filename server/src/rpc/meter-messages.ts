import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { MeterSchema, type Meter as MeterMessage } from "../../../gen/meterusage/v1/meterusage_pb.js";
import type { Meter } from "../meters/meter.js";

export function meterMessage(meter: Meter): MeterMessage {
  return create(MeterSchema, {
    ...meter,
    count: BigInt(meter.count),
    firstTime: meter.firstTime === undefined ? undefined : timestampFromMs(meter.firstTime),
    lastTime: meter.lastTime === undefined ? undefined : timestampFromMs(meter.lastTime),
  });
}

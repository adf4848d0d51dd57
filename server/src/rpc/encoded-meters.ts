import { create } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { ListMetersResponseSchema, type ListMetersResponse } from "../../../gen/meterusage/v1/meterusage_pb.js";
import type { Meter } from "../meters/meter.js";
import { metersProtoJson } from "./meters-json.js";
import { preWrittenJson } from "./pre-written-json.js";
import { carriedAsUnknown, ProtoWriter } from "./proto-writer.js";

// Field numbers of ListMetersResponse and Meter, as meterusage.proto gives them.
const response = { meters: 1, defaultMeter: 2 };
const meterFields = { name: 1, count: 2, firstTime: 3, lastTime: 4, unit: 5, timeZone: 6, tariff: 7 };

/**
 * The bytes of a ListMetersResponse, the same as toBinary writes for the same message: for a
 * thousand meters, toBinary alone took several times as long as the store.
 */
export function encodeMeters(meters: Meter[], defaultMeter: string): Uint8Array {
  const writer = new ProtoWriter();
  for (const { name, count, firstTime, lastTime, unit, timeZone, tariff } of meters) {
    const start = writer.tag(response.meters, WireType.LengthDelimited).fork();
    if (name !== "") writer.tag(meterFields.name, WireType.LengthDelimited).string(name);
    if (count !== 0) writer.tag(meterFields.count, WireType.Varint).int64(count);
    if (firstTime !== undefined) writer.timestamp(meterFields.firstTime, firstTime);
    if (lastTime !== undefined) writer.timestamp(meterFields.lastTime, lastTime);
    if (unit !== "") writer.tag(meterFields.unit, WireType.LengthDelimited).string(unit);
    if (timeZone !== "") writer.tag(meterFields.timeZone, WireType.LengthDelimited).string(timeZone);
    if (tariff) writer.tag(meterFields.tariff, WireType.LengthDelimited).string(tariff);
    writer.join(start);
  }
  if (defaultMeter !== "") writer.tag(response.defaultMeter, WireType.LengthDelimited).string(defaultMeter);
  return writer.finish();
}

/** A ListMetersResponse for connect-node to send to JSON clients, written as text (see pre-written-json.ts). */
export function preWrittenMetersJson(meters: Meter[], defaultMeter: string): ListMetersResponse {
  return preWrittenJson(ListMetersResponseSchema, "defaultMeter", metersProtoJson(meters, defaultMeter));
}

/** A ListMetersResponse for connect-node to send whose fields are already encoded; JSON clients get preWrittenMetersJson's. */
export function preEncodedMetersResponse(meters: Meter[], defaultMeter: string): ListMetersResponse {
  const message = create(ListMetersResponseSchema);
  message.$unknown = carriedAsUnknown(encodeMeters(meters, defaultMeter));
  return message;
}

import { create } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { GetUsageResponseSchema, type GetUsageResponse } from "../../../gen/meterusage/v1/meterusage_pb.js";
import type { PeriodUsage } from "../usage/period-usage.js";
import type { Usage } from "../usage/read-usage.js";
import { preWrittenJson } from "./pre-written-json.js";
import { carriedAsUnknown, ProtoWriter } from "./proto-writer.js";
import { usageProtoJson } from "./usage-json.js";

// Field numbers of the messages written here, as meterusage.proto gives them.
const response = { meters: 2, total: 3, currency: 4 };
const meterPeriods = { meter: 1, unit: 2, periods: 3, currency: 4 };
const periodUsage = { start: 1, end: 2, count: 3, missingCount: 4, sum: 5, min: 6, max: 7, mean: 8, energyCost: 9, standingCharge: 10, cost: 11, unpricedCount: 12 };

/**
 * The bytes of a GetUsageResponse's `meters`, `total` and `currency`, the same as toBinary writes for the
 * same message, without building a message object per period: a year of hours is 8,760 of
 * them, and building and serializing those took several times as long as reading the totals.
 */
export function encodeUsagePeriods(usage: Usage): Uint8Array {
  const writer = new ProtoWriter();
  for (const { meter, unit, periods, currency } of usage.meters) {
    const start = writer.tag(response.meters, WireType.LengthDelimited).fork();
    if (meter !== "") writer.tag(meterPeriods.meter, WireType.LengthDelimited).string(meter);
    if (unit !== "") writer.tag(meterPeriods.unit, WireType.LengthDelimited).string(unit);
    for (const period of periods) writePeriod(writer, meterPeriods.periods, period);
    if (currency) writer.tag(meterPeriods.currency, WireType.LengthDelimited).string(currency);
    writer.join(start);
  }
  for (const period of usage.total ?? []) writePeriod(writer, response.total, period);
  // Written here, after total, where toBinary writes it, rather than set on the message.
  if (usage.currency) writer.tag(response.currency, WireType.LengthDelimited).string(usage.currency);
  return writer.finish();
}

/** A GetUsageResponse for connect-node to send whose periods are already encoded; JSON clients get preWrittenUsageJson's. */
export function preEncodedUsageResponse(usage: Usage): GetUsageResponse {
  const message = create(GetUsageResponseSchema, { timeZone: usage.timeZone });
  message.$unknown = carriedAsUnknown(encodeUsagePeriods(usage));
  return message;
}

/** A GetUsageResponse for connect-node to send to JSON clients, written as text (see pre-written-json.ts). */
export function preWrittenUsageJson(usage: Usage): GetUsageResponse {
  return preWrittenJson(GetUsageResponseSchema, "timeZone", usageProtoJson(usage));
}

function writePeriod(writer: ProtoWriter, field: number, usage: PeriodUsage): void {
  const start = writer.tag(field, WireType.LengthDelimited).fork();
  writer.timestamp(periodUsage.start, usage.start).timestamp(periodUsage.end, usage.end);
  if (usage.count !== 0) writer.tag(periodUsage.count, WireType.Varint).int64(usage.count);
  if (usage.missingCount !== 0) writer.tag(periodUsage.missingCount, WireType.Varint).int64(usage.missingCount);
  // toBinary leaves out 0 but writes -0, which is not the zero value bit for bit.
  if (!Object.is(usage.sum, 0)) writer.tag(periodUsage.sum, WireType.Bit64).double(usage.sum);
  if (usage.min !== undefined) writer.tag(periodUsage.min, WireType.Bit64).double(usage.min);
  if (usage.max !== undefined) writer.tag(periodUsage.max, WireType.Bit64).double(usage.max);
  if (usage.mean !== undefined) writer.tag(periodUsage.mean, WireType.Bit64).double(usage.mean);
  if (usage.energyCost !== undefined) writer.tag(periodUsage.energyCost, WireType.Bit64).double(usage.energyCost);
  if (usage.standingCharge !== undefined) writer.tag(periodUsage.standingCharge, WireType.Bit64).double(usage.standingCharge);
  if (usage.cost !== undefined) writer.tag(periodUsage.cost, WireType.Bit64).double(usage.cost);
  if (usage.unpricedCount) writer.tag(periodUsage.unpricedCount, WireType.Varint).int64(usage.unpricedCount);
  writer.join(start);
}

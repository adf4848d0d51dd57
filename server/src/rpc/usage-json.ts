import { JsonWriter } from "../readings/json-writer.js";
import type { PeriodUsage } from "../usage/period-usage.js";
import type { Usage } from "../usage/read-usage.js";

/**
 * A GetUsageResponse as JSON, the same as toJsonString writes for usageResponse(usage): fields
 * in field-number order under their JSON names, zero values of plain fields left out, 64-bit
 * counts as strings, NaN and infinities as strings, timestamps in RFC 3339.
 */
export function usageProtoJson(usage: Usage): Uint8Array<ArrayBuffer> {
  const json = new JsonWriter().beginObject();
  if (usage.timeZone !== "") json.key("timeZone").string(usage.timeZone);
  if (usage.meters.length > 0) {
    json.key("meters").ascii("[");
    usage.meters.forEach(({ meter, unit, periods, currency }, index) => {
      if (index > 0) json.ascii(",");
      json.beginObject();
      if (meter !== "") json.key("meter").string(meter);
      if (unit !== "") json.key("unit").string(unit);
      if (periods.length > 0) writePeriods(json.key("periods"), periods);
      if (currency) json.key("currency").string(currency);
      json.endObject();
    });
    json.ascii("]");
  }
  if (usage.total !== undefined && usage.total.length > 0) writePeriods(json.key("total"), usage.total);
  if (usage.currency) json.key("currency").string(usage.currency);
  return json.endObject().finish();
}

function writePeriods(json: JsonWriter, periods: PeriodUsage[]): void {
  json.ascii("[");
  periods.forEach((usage, index) => {
    json.ascii(index === 0 ? "{" : ",{").spanFields(usage.start, usage.end);
    if (usage.count !== 0) json.ascii(`,"count":"${usage.count}"`);
    if (usage.missingCount !== 0) json.ascii(`,"missingCount":"${usage.missingCount}"`);
    // Only +0 is a double's zero value: -0 is written, as 0.
    if (!Object.is(usage.sum, 0)) json.ascii(`,"sum":${double(usage.sum)}`);
    if (usage.min !== undefined) json.ascii(`,"min":${double(usage.min)}`);
    if (usage.max !== undefined) json.ascii(`,"max":${double(usage.max)}`);
    if (usage.mean !== undefined) json.ascii(`,"mean":${double(usage.mean)}`);
    if (usage.energyCost !== undefined) json.ascii(`,"energyCost":${double(usage.energyCost)}`);
    if (usage.standingCharge !== undefined) json.ascii(`,"standingCharge":${double(usage.standingCharge)}`);
    if (usage.cost !== undefined) json.ascii(`,"cost":${double(usage.cost)}`);
    if (usage.unpricedCount) json.ascii(`,"unpricedCount":"${usage.unpricedCount}"`);
    json.ascii("}");
  });
  json.ascii("]");
}

/** A double as proto JSON writes it: a number, or "NaN", "Infinity" or "-Infinity" as a string. */
function double(value: number): string {
  return Number.isFinite(value) ? String(value) : `"${value}"`;
}

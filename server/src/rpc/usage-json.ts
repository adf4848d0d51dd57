import { JsonWriter } from "../readings/json-writer.js";
import type { PeriodUsage } from "../usage/period-usage.js";
import type { Usage } from "../usage/read-usage.js";

/**
 * A GetUsageResponse as JSON, the same as toJsonString writes for usageResponse(usage): fields
 * in field-number order under their JSON names, zero values of plain fields left out, 64-bit
 * counts as strings, NaN and infinities as strings, timestamps in RFC 3339.
 */
export function usageProtoJson(usage: Usage): Uint8Array<ArrayBuffer> {
  const json = new JsonWriter();
  let separator = "{";
  if (usage.timeZone !== "") {
    json.ascii(`${separator}"timeZone":`).string(usage.timeZone);
    separator = ",";
  }
  if (usage.meters.length > 0) {
    json.ascii(`${separator}"meters":[`);
    separator = ",";
    usage.meters.forEach(({ meter, unit, periods, currency }, index) => {
      let meterSeparator = index === 0 ? "{" : ",{";
      if (meter !== "") {
        json.ascii(`${meterSeparator}"meter":`).string(meter);
        meterSeparator = ",";
      }
      if (unit !== "") {
        json.ascii(`${meterSeparator}"unit":`).string(unit);
        meterSeparator = ",";
      }
      if (periods.length > 0) {
        json.ascii(`${meterSeparator}"periods":`);
        writePeriods(json, periods);
        meterSeparator = ",";
      }
      if (currency) {
        json.ascii(`${meterSeparator}"currency":`).string(currency);
        meterSeparator = ",";
      }
      // A meter with no field set is an empty object, after a comma unless it is the first.
      json.ascii(meterSeparator === "," ? "}" : `${meterSeparator}}`);
    });
    json.ascii("]");
  }
  if (usage.total !== undefined && usage.total.length > 0) {
    json.ascii(`${separator}"total":`);
    writePeriods(json, usage.total);
    separator = ",";
  }
  if (usage.currency) {
    json.ascii(`${separator}"currency":`).string(usage.currency);
    separator = ",";
  }
  return json.ascii(separator === "," ? "}" : "{}").finish();
}

function writePeriods(json: JsonWriter, periods: PeriodUsage[]): void {
  json.ascii("[");
  periods.forEach((usage, index) => {
    json.ascii(index === 0 ? '{"start":' : ',{"start":').timestamp(usage.start).ascii(',"end":').timestamp(usage.end);
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

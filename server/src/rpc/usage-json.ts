import { JsonWriter } from "../readings/json-writer.js";
import { longDoubles } from "../usage/long-doubles.js";
import type { PeriodUsage } from "../usage/period-usage.js";
import { periodCounts, type Usage } from "../usage/read-usage.js";

// A period of a meter's usage takes 120-180 bytes: two times, two counts, four doubles; with its
// costs (three doubles of up to 17 digits and a count) about 100 more.
const bytesPerPeriod = 160;
const bytesPerPricedPeriod = 260;

/** About the bytes of the answer, so that the buffer seldom grows: a priced month of a thousand meters is 8 MB. */
function answerBytes(usage: Usage): number {
  const { plain, priced } = periodCounts(usage);
  return plain * bytesPerPeriod + priced * bytesPerPricedPeriod + 1024;
}

/**
 * A GetUsageResponse as JSON, the same as toJsonString writes for usageResponse(usage): fields
 * in field-number order under their JSON names, zero values of plain fields left out, 64-bit
 * counts as strings, NaN and infinities as strings, timestamps in RFC 3339.
 */
export function usageProtoJson(usage: Usage): Uint8Array<ArrayBuffer> {
  const json = new JsonWriter(answerBytes(usage)).expectLongNumbers(longDoubles(usage)).beginObject();
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
    if (usage.count !== 0) json.ascii(',"count":"').count(usage.count).ascii('"');
    if (usage.missingCount !== 0) json.ascii(',"missingCount":"').count(usage.missingCount).ascii('"');
    // Only +0 is a double's zero value: -0 is written, as 0.
    if (!Object.is(usage.sum, 0)) double(json.ascii(',"sum":'), usage.sum);
    if (usage.min !== undefined) double(json.ascii(',"min":'), usage.min);
    if (usage.max !== undefined) double(json.ascii(',"max":'), usage.max);
    if (usage.mean !== undefined) double(json.ascii(',"mean":'), usage.mean);
    if (usage.energyCost !== undefined) double(json.ascii(',"energyCost":'), usage.energyCost);
    if (usage.standingCharge !== undefined) double(json.ascii(',"standingCharge":'), usage.standingCharge);
    if (usage.cost !== undefined) double(json.ascii(',"cost":'), usage.cost);
    if (usage.unpricedCount) json.ascii(',"unpricedCount":"').count(usage.unpricedCount).ascii('"');
    json.ascii("}");
  });
  json.ascii("]");
}

/** A double as proto JSON writes it: a number, or "NaN", "Infinity" or "-Infinity" as a string. */
function double(json: JsonWriter, value: number): void {
  if (Number.isFinite(value)) json.finiteNumber(value);
  else json.ascii(`"${value}"`);
}


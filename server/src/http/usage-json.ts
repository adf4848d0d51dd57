import { JsonWriter } from "../readings/json-writer.js";
import { longDoubles } from "../usage/long-doubles.js";
import type { PeriodUsage } from "../usage/period-usage.js";
import { periodCounts, type Usage } from "../usage/read-usage.js";

// A period of a meter's usage takes 130-190 bytes: two times, two counts, four doubles; with its
// costs (three doubles of up to 17 digits and a count) about 100 more.
const bytesPerPeriod = 170;
const bytesPerPricedPeriod = 270;

/** About the bytes of the answer, so that the buffer seldom grows: a priced month of a thousand meters is 8 MB. */
function answerBytes(usage: Usage): number {
  const { plain, priced } = periodCounts(usage);
  return plain * bytesPerPeriod + priced * bytesPerPricedPeriod + 1024;
}

/**
 * GET /api/usage's JSON, written straight from the periods rather than through an object a
 * period and JSON.stringify: counts as numbers, every meter's currency ("" without a tariff),
 * min, max, mean and the costs only where a period has them, NaN and infinities as null.
 */
export function usageRouteJson(usage: Usage): Uint8Array<ArrayBuffer> {
  const json = new JsonWriter(answerBytes(usage)).expectLongNumbers(longDoubles(usage));
  json.ascii('{"timeZone":').string(usage.timeZone).ascii(',"currency":').string(usage.currency ?? "").ascii(',"meters":[');
  usage.meters.forEach(({ meter, unit, periods, currency = "" }, index) => {
    json.ascii(index === 0 ? '{"meter":' : ',{"meter":').string(meter).ascii(',"unit":').string(unit).ascii(',"currency":').string(currency);
    json.ascii(',"periods":');
    writePeriods(json, periods);
    json.ascii("}");
  });
  json.ascii("]");
  if (usage.total !== undefined) {
    json.ascii(',"total":');
    writePeriods(json, usage.total);
  }
  return json.ascii("}").finish();
}

function writePeriods(json: JsonWriter, periods: PeriodUsage[]): void {
  json.ascii("[");
  periods.forEach((usage, index) => {
    json.ascii(index === 0 ? "{" : ",{").spanFields(usage.start, usage.end);
    json.ascii(',"count":').number(usage.count).ascii(',"missingCount":').number(usage.missingCount).ascii(',"sum":').number(usage.sum);
    if (usage.min !== undefined) json.ascii(',"min":').number(usage.min);
    if (usage.max !== undefined) json.ascii(',"max":').number(usage.max);
    if (usage.mean !== undefined) json.ascii(',"mean":').number(usage.mean);
    if (usage.energyCost !== undefined) json.ascii(',"energyCost":').number(usage.energyCost);
    if (usage.standingCharge !== undefined) json.ascii(',"standingCharge":').number(usage.standingCharge);
    if (usage.cost !== undefined) json.ascii(',"cost":').number(usage.cost);
    if (usage.unpricedCount !== undefined) json.ascii(',"unpricedCount":').number(usage.unpricedCount);
    json.ascii("}");
  });
  json.ascii("]");
}

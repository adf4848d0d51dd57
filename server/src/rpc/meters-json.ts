import type { Meter } from "../meters/meter.js";
import { JsonWriter } from "../readings/json-writer.js";

/**
 * A ListMetersResponse as JSON, the same as toJsonString writes for the message of the same
 * meters: fields in field-number order under their JSON names, empty strings and a zero count
 * left out, the count as a string, times in RFC 3339.
 */
export function metersProtoJson(meters: Meter[], defaultMeter: string): Uint8Array<ArrayBuffer> {
  const json = new JsonWriter();
  let separator = "{";
  if (meters.length > 0) {
    json.ascii('{"meters":[');
    separator = ",";
    meters.forEach(({ name, count, firstTime, lastTime, unit, timeZone, tariff }, index) => {
      let meterSeparator = index === 0 ? "{" : ",{";
      const field = (key: string) => {
        json.ascii(`${meterSeparator}"${key}":`);
        meterSeparator = ",";
        return json;
      };
      if (name !== "") field("name").string(name);
      if (count !== 0) field("count").ascii(`"${count}"`);
      if (firstTime !== undefined) field("firstTime").timestamp(firstTime);
      if (lastTime !== undefined) field("lastTime").timestamp(lastTime);
      if (unit !== "") field("unit").string(unit);
      if (timeZone !== "") field("timeZone").string(timeZone);
      if (tariff) field("tariff").string(tariff);
      json.ascii(meterSeparator === "," ? "}" : "{}");
    });
    json.ascii("]");
  }
  if (defaultMeter !== "") {
    json.ascii(`${separator}"defaultMeter":`).string(defaultMeter);
    separator = ",";
  }
  return json.ascii(separator === "," ? "}" : "{}").finish();
}

import type { Meter } from "../meters/meter.js";
import { JsonWriter } from "../readings/json-writer.js";

/**
 * A ListMetersResponse as JSON, the same as toJsonString writes for the message of the same
 * meters: fields in field-number order under their JSON names, empty strings and a zero count
 * left out, the count as a string, times in RFC 3339.
 */
export function metersProtoJson(meters: Meter[], defaultMeter: string): Uint8Array<ArrayBuffer> {
  const json = new JsonWriter().beginObject();
  if (meters.length > 0) {
    json.key("meters").ascii("[");
    meters.forEach(({ name, count, firstTime, lastTime, unit, timeZone, tariff }, index) => {
      if (index > 0) json.ascii(",");
      json.beginObject();
      if (name !== "") json.key("name").string(name);
      if (count !== 0) json.key("count").ascii(`"${count}"`);
      if (firstTime !== undefined) json.key("firstTime").timestamp(firstTime);
      if (lastTime !== undefined) json.key("lastTime").timestamp(lastTime);
      if (unit !== "") json.key("unit").string(unit);
      if (timeZone !== "") json.key("timeZone").string(timeZone);
      if (tariff) json.key("tariff").string(tariff);
      json.endObject();
    });
    json.ascii("]");
  }
  if (defaultMeter !== "") json.key("defaultMeter").string(defaultMeter);
  return json.endObject().finish();
}

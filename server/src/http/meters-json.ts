import type { Meter } from "../meters/meter.js";
import { JsonWriter } from "../readings/json-writer.js";

/**
 * GET /api/meters' JSON, written straight from the meters: each meter's name, count, unit,
 * time zone and tariff (when the listing has one), then its first and last time when it has
 * readings, and the default meter.
 */
export function metersRouteJson(meters: Meter[], defaultMeter: string): Uint8Array<ArrayBuffer> {
  const json = new JsonWriter().ascii('{"meters":[');
  meters.forEach(({ name, count, firstTime, lastTime, unit, timeZone, tariff }, index) => {
    json.ascii(index === 0 ? '{"name":' : ',{"name":').string(name).ascii(',"count":').number(count);
    json.ascii(',"unit":').string(unit).ascii(',"timeZone":').string(timeZone);
    if (tariff !== undefined) json.ascii(',"tariff":').string(tariff);
    if (firstTime !== undefined) json.ascii(',"firstTime":').timestamp(firstTime);
    if (lastTime !== undefined) json.ascii(',"lastTime":').timestamp(lastTime);
    json.ascii("}");
  });
  return json.ascii('],"defaultMeter":').string(defaultMeter).ascii("}").finish();
}

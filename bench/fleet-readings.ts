import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { stepMs, syntheticValue } from "./synthetic-readings.js";

/** A fleet's readings span 2019, every 15 minutes from midnight UTC on New Year's Day. */
export const fleetYear = { start: Date.UTC(2019, 0, 1), end: Date.UTC(2020, 0, 1) };
/** 35,040. */
export const readingsPerMeterYear = (fleetYear.end - fleetYear.start) / stepMs;

/** Padded, so that the order of the names is the order the meters were written in. */
export function fleetMeter(index: number): string {
  return `meter-${String(index + 1).padStart(4, "0")}`;
}

/**
 * Writes `meters` meters' year as the long CSV, `meter,time,value`, meter after meter, each
 * meter's readings oldest first: the order per-meter exports have when concatenated. Values
 * come from syntheticValue, each meter its own stretch of it, so about 1 in 1,000 is NaN.
 */
export async function writeFleetCsv(path: string, meters: number): Promise<void> {
  const times = Array.from({ length: readingsPerMeterYear }, (_, i) => {
    const iso = new Date(fleetYear.start + i * stepMs).toISOString();
    return `,${iso.slice(0, 10)} ${iso.slice(11, 19)},`;
  });
  const out = createWriteStream(path);
  out.write("meter,time,value\n");
  for (let meter = 0; meter < meters; meter++) {
    const name = fleetMeter(meter);
    const first = meter * readingsPerMeterYear;
    let lines = "";
    for (let i = 0; i < readingsPerMeterYear; i++) lines += `${name}${times[i]}${syntheticValue(first + i) ?? "NaN"}\n`;
    if (!out.write(lines)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

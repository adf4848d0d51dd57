import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { stepMs, syntheticValue } from "./synthetic-readings.js";

/** A fleet's readings span 2019, every 15 minutes from midnight UTC on New Year's Day. */
export const fleetYear = { start: Date.UTC(2019, 0, 1), end: Date.UTC(2020, 0, 1) };
/** 35,040. */
export const readingsPerMeterYear = (fleetYear.end - fleetYear.start) / stepMs;

/**
 * How a long CSV of a fleet is ordered: meter after meter, as per-meter exports are when
 * concatenated, or time after time (every meter's 00:00, then every meter's 00:15, ...), as
 * head-end systems deliver a fleet.
 */
export type FleetOrder = "meter-major" | "time-major";

/** Padded, so that the order of the names is the order the meters were written in. */
export function fleetMeter(index: number): string {
  return `meter-${String(index + 1).padStart(4, "0")}`;
}

/** The value of a fleet meter's i-th reading: each meter its own stretch of syntheticValue, so about 1 in 1,000 is missing. */
export function fleetValue(meter: number, i: number): number | null {
  return syntheticValue(meter * readingsPerMeterYear + i);
}

/**
 * The fleet's meters keep their usage in two zones, so that GetUsage is measured where a
 * day is not a UTC day (Europe/London, with summer time) and where local hours straddle UTC
 * hours (Asia/Kolkata, UTC+05:30): even meters in the first, odd ones in the second.
 */
export const fleetZones = { even: "Europe/London", odd: "Asia/Kolkata" } as const;

export function fleetMeterZone(index: number): string {
  return index % 2 === 0 ? fleetZones.even : fleetZones.odd;
}

/** The i-th meter, spread over the fleet, among those whose zone is `zone`. */
export function fleetMeterIn(zone: string, i: number, meters: number): string {
  const odd = zone === fleetZones.odd && meters > 1;
  const among = odd ? Math.floor(meters / 2) : Math.ceil(meters / 2);
  return fleetMeter(2 * ((i * 97) % among) + (odd ? 1 : 0));
}

/**
 * Writes `meters` meters' year as the long CSV, `meter,time,value`, in the given order, each
 * meter's readings oldest first. Both orders hold the same lines.
 */
export async function writeFleetCsv(path: string, meters: number, order: FleetOrder = "meter-major"): Promise<void> {
  const times = Array.from({ length: readingsPerMeterYear }, (_, i) => {
    const iso = new Date(fleetYear.start + i * stepMs).toISOString();
    return `,${iso.slice(0, 10)} ${iso.slice(11, 19)},`;
  });
  const names = Array.from({ length: meters }, (_, meter) => fleetMeter(meter));
  const line = (meter: number, i: number) => `${names[meter]}${times[i]}${fleetValue(meter, i) ?? "NaN"}\n`;
  const out = createWriteStream(path);
  out.write("meter,time,value\n");
  // Written in pieces of one meter's year or of a few hundred times of every meter.
  const [outer, inner] = order === "meter-major" ? [meters, readingsPerMeterYear] : [readingsPerMeterYear, meters];
  const linesPerPiece = 35_040;
  let lines = "";
  let pending = 0;
  for (let a = 0; a < outer; a++) {
    for (let b = 0; b < inner; b++) lines += order === "meter-major" ? line(a, b) : line(b, a);
    pending += inner;
    if (pending >= linesPerPiece || a === outer - 1) {
      if (!out.write(lines)) await once(out, "drain");
      lines = "";
      pending = 0;
    }
  }
  out.end();
  await once(out, "finish");
}

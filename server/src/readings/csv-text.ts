import type { Reading } from "./reading.js";
import { formatTimestamp } from "./timestamp-text.js";

/** The header of one meter's readings as export and download write them; import reads it back as that meter. */
export function csvHeader(meter: string): string {
  return `time,${meter}\n`;
}

/** The header of readings of many meters, a reading a line. */
export const longCsvHeader = "meter,time,value\n";

/**
 * Readings as lines of the import format. JavaScript prints the shortest text that reads
 * back as the same double, so export and import round-trip exactly; a missing value is NaN.
 */
export function csvLines(readings: Reading[]): string {
  let text = "";
  for (const reading of readings) text += `${formatTimestamp(reading.time)},${reading.value ?? "NaN"}\n`;
  return text;
}

/** Readings of one meter as lines of the long format, which names the meter on every line. */
export function longCsvLines(meter: string, readings: Reading[]): string {
  let text = "";
  for (const reading of readings) text += `${meter},${formatTimestamp(reading.time)},${reading.value ?? "NaN"}\n`;
  return text;
}

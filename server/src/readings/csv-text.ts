import type { Reading } from "./reading.js";
import { formatTimestamp } from "./timestamp-text.js";

/** The header written by export and download; import reads it back. */
export const csvHeader = "time,value\n";

/**
 * Readings as lines of the import format. JavaScript prints the shortest text that reads
 * back as the same double, so export and import round-trip exactly; a missing value is NaN.
 */
export function csvLines(readings: Reading[]): string {
  let text = "";
  for (const reading of readings) text += `${formatTimestamp(reading.time)},${reading.value ?? "NaN"}\n`;
  return text;
}

import type { Reading } from "../readings/reading.js";
import { formatTimestamp } from "../readings/timestamp-text.js";
import { CsvFormatError } from "./csv-format-error.js";
import type { CsvInput } from "./csv-lines.js";
import { csvReadings } from "./csv-readings.js";
import { IngestError } from "./ingest-error.js";
import { maxReadingsPerRequest } from "./ingest-limits.js";

/** Reads a CSV request body into one request's readings, with the import's format and rules. */
export async function csvBodyReadings(body: CsvInput): Promise<Reading[]> {
  const readings: Reading[] = [];
  const lineByTime = new Map<number, number>();
  for await (const batch of csvReadings(body)) {
    for (const { line, time, value } of batch) {
      const firstLine = lineByTime.get(time);
      if (firstLine !== undefined) {
        throw new CsvFormatError(line, `a reading for ${formatTimestamp(time)} appears twice: first on line ${firstLine}`);
      }
      lineByTime.set(time, line);
      readings.push({ time, value });
    }
    if (readings.length > maxReadingsPerRequest) {
      throw new IngestError(`the body holds more than the ${maxReadingsPerRequest} readings one request may carry`);
    }
  }
  return readings;
}

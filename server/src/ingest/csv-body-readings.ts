import type { MeterReading } from "../readings/reading.js";
import { formatTimestamp } from "../readings/timestamp-text.js";
import type { MeterReadings } from "../store/reading-store.js";
import type { CsvInput } from "./csv-lines.js";
import { csvReadings } from "./csv-readings.js";
import type { CsvShapeOptions } from "./csv-shape.js";
import { FileFormatError } from "./file-format-error.js";
import { IngestError } from "./ingest-error.js";
import { maxReadingsPerRequest } from "./ingest-limits.js";

/** Reads a CSV request body into one request's readings per meter, with the import's format and rules. */
export async function csvBodyReadings(body: CsvInput, shape: CsvShapeOptions = {}): Promise<MeterReadings[]> {
  return bodyReadings(csvReadings(body, shape));
}

/** A request body's readings, of any format, per meter; a time twice for one meter is refused naming both lines. */
export async function bodyReadings(batches: AsyncIterable<MeterReading[]>): Promise<MeterReadings[]> {
  const byMeter = new Map<string, { readings: MeterReadings; lineByTime: Map<number, number> }>();
  let count = 0;
  for await (const batch of batches) {
    for (const { line, meter, time, value } of batch) {
      let held = byMeter.get(meter);
      if (held === undefined) byMeter.set(meter, (held = { readings: { meter, readings: [] }, lineByTime: new Map() }));
      const firstLine = held.lineByTime.get(time);
      if (firstLine !== undefined) {
        throw new FileFormatError(line, `a reading of meter ${meter} for ${formatTimestamp(time)} appears twice: first on line ${firstLine}`);
      }
      held.lineByTime.set(time, line);
      held.readings.readings.push({ time, value });
    }
    count += batch.length;
    if (count > maxReadingsPerRequest) {
      throw new IngestError(`the body holds more than the ${maxReadingsPerRequest} readings one request may carry`);
    }
  }
  return [...byMeter.values()].map(({ readings }) => readings);
}

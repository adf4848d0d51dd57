import type { MeterReading } from "../readings/reading.js";
import type { ImportOptions, ImportResult, ReadingStore } from "../store/reading-store.js";
import { CsvFileReader, type CsvFileBatch } from "./csv-file-reader.js";
import type { CsvShapeOptions } from "./csv-shape.js";

export interface ImportProgress {
  (bytesRead: number, readingsRead: number): void;
}

/**
 * Streams a CSV file into the store in one transaction: all its readings, or none. A worker
 * thread parses the file while this one stores, so an import keeps two cores busy.
 */
export async function importCsvFile(
  store: ReadingStore,
  path: string,
  options: ImportOptions & CsvShapeOptions & { onProgress?: ImportProgress } = {},
): Promise<ImportResult> {
  const reader = new CsvFileReader(path, { meter: options.meter, valueColumnMeter: options.valueColumnMeter });
  try {
    return await store.importReadings(readingsOf(reader.batches(), options.onProgress), options);
  } finally {
    // The store may stop reading early: on a bad row, or when onlyIntoEmpty finds readings.
    await reader.close();
  }
}

async function* readingsOf(
  batches: AsyncIterable<CsvFileBatch>,
  onProgress: ImportProgress | undefined,
): AsyncGenerator<MeterReading[]> {
  let readings = 0;
  for await (const batch of batches) {
    readings += batch.readings.length;
    onProgress?.(batch.bytesRead, readings);
    yield batch.readings;
  }
}

import { createReadStream } from "node:fs";
import type { ImportOptions, ImportResult, ReadingStore } from "../store/reading-store.js";
import { csvReadings } from "./csv-readings.js";

export interface ImportProgress {
  (bytesRead: number, readingsRead: number): void;
}

/** Streams a CSV file into the store in one transaction: all its readings, or none. */
export async function importCsvFile(
  store: ReadingStore,
  path: string,
  options: ImportOptions & { onProgress?: ImportProgress } = {},
): Promise<ImportResult> {
  const file = createReadStream(path);
  const batches = csvReadings(file);
  try {
    return await store.importReadings(options.onProgress ? reported(batches, file, options.onProgress) : batches, options);
  } finally {
    // The store may stop reading early: on a bad row, or when onlyIntoEmpty finds readings.
    file.destroy();
  }
}

async function* reported<T extends unknown[]>(
  batches: AsyncIterable<T>,
  file: { bytesRead: number },
  onProgress: ImportProgress,
): AsyncGenerator<T> {
  let readings = 0;
  for await (const batch of batches) {
    readings += batch.length;
    onProgress(file.bytesRead, readings);
    yield batch;
  }
}

import type { ImportOptions, ImportResult, ReadingStore } from "../store/reading-store.js";
import type { CsvShapeOptions } from "./csv-shape.js";
import { importFile, type ImportProgress } from "./import-file.js";

export type { ImportProgress } from "./import-file.js";

/** Streams a CSV file in today's format into the store in one transaction: all its readings, or none (see importFile). */
export async function importCsvFile(
  store: ReadingStore,
  path: string,
  options: ImportOptions & CsvShapeOptions & { onProgress?: ImportProgress } = {},
): Promise<ImportResult> {
  const { stored, removed, skipped } = await importFile(store, path, options, false);
  return { stored, removed, skipped };
}

import { createReadStream } from "node:fs";
import type { ReadingStore } from "../store/reading-store.js";
import { csvReadings } from "./csv-readings.js";

/** Streams a CSV file into the store in one transaction: all its readings, or none. */
export async function importCsvFile(store: ReadingStore, path: string): Promise<{ stored: number }> {
  return store.importReadings(csvReadings(createReadStream(path)));
}

import type { MeterReading } from "../readings/reading.js";
import type { ImportOptions, ImportResult, MeterSettings, ReadingStore } from "../store/reading-store.js";
import { CsvFileReader, type CsvFileBatch } from "./csv-file-reader.js";
import { InThreadFileReader, readsWholeFirst } from "./in-thread-file-reader.js";
import { MeterTally, type FoundMeter, type InputFindings } from "./input-findings.js";
import type { InputOptions } from "./input-options.js";
import { fromColumns } from "./reading-columns.js";

export interface ImportProgress {
  (bytesRead: number, readingsRead: number): void;
}

export type FileImportOptions = Omit<ImportOptions, "meterSettings"> &
  InputOptions & {
    onProgress?: ImportProgress;
    /** The settings of the file's meters, given what the file held of each, set in the import's own transaction. */
    settingsOf?: (found: FoundMeter[]) => Map<string, MeterSettings>;
  };

export interface FileImport extends ImportResult {
  /** Each meter the file held, with its count, first and last time, and unit and origin where the file gives them. */
  found: FoundMeter[];
  /** The file's format and notes, for a file of any format. */
  findings?: InputFindings;
}

/**
 * Streams a file into the store in one transaction: all its readings, or none. A worker
 * thread parses the file while this one stores, so an import keeps two cores busy; a file
 * whose readings are all read before the first is stored is read on this thread. With
 * anyFormat, the file may be any format import knows, told by its content.
 */
export async function importFile(store: ReadingStore, path: string, options: FileImportOptions = {}, anyFormat = true): Promise<FileImport> {
  const { meter, valueColumnMeter, timeZone, timeZoneOption, unit, fileName } = options;
  const inputOptions = { meter, valueColumnMeter, timeZone, timeZoneOption, unit, fileName };
  const reader = anyFormat && (await readsWholeFirst(path)) ? new InThreadFileReader(path, inputOptions) : new CsvFileReader(path, inputOptions, anyFormat);
  const tally = new MeterTally();
  try {
    const { settingsOf } = options;
    // Asked for after the last batch, when the reader's findings (the file's units) are complete.
    const meterSettings = settingsOf === undefined ? undefined : () => settingsOf(tally.found(reader.findings));
    const result = await store.importReadings(readingsOf(reader.batches(), tally, options.onProgress), { ...options, meterSettings });
    return { ...result, found: tally.found(reader.findings), findings: reader.findings };
  } finally {
    // The store may stop reading early: on a bad row, or when onlyIntoEmpty finds readings.
    await reader.close();
  }
}

/** The readings of each batch, counted by meter as they pass. */
async function* readingsOf(batches: AsyncIterable<CsvFileBatch>, tally: MeterTally, onProgress: ImportProgress | undefined): AsyncGenerator<MeterReading[]> {
  let readings = 0;
  for await (const { columns, bytesRead } of batches) {
    tally.addColumns(columns);
    readings += columns.times.length;
    onProgress?.(bytesRead, readings);
    yield fromColumns(columns);
  }
}

import { importCsvFile } from "../ingest/import-csv-file.js";
import { SqliteStore } from "../store/sqlite-store.js";
import { databasePath, dbSetting } from "./options.js";
import { describeSettings, readSettings, type Setting } from "./settings.js";
import { UsageError } from "./usage-error.js";

const settings: Setting[] = [dbSetting];

export const importUsage = `Usage: meterusage import FILE.csv [options]

Stores the readings of a CSV with the header time,<value column>. Times without an
offset are UTC; NaN or an empty value is a missing reading. The whole file is stored
in one transaction: a bad row stores nothing and names its line.

${describeSettings(settings)}`;

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = readSettings(args, settings, true);
  if (positionals.length !== 1) throw new UsageError("import takes exactly one CSV file");
  const [file] = positionals;
  const db = databasePath(values.db);
  const store = new SqliteStore(db);
  try {
    const { stored } = await importCsvFile(store, file);
    console.log(`stored ${stored} readings from ${file} in ${db}`);
  } finally {
    await store.close();
  }
}

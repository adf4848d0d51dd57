import { parseArgs } from "node:util";
import { importCsvFile } from "../ingest/import-csv-file.js";
import { SqliteStore } from "../store/sqlite-store.js";
import { databasePath, defaultDatabase } from "./options.js";
import { UsageError } from "./usage-error.js";

export const importUsage = `Usage: meterusage import FILE.csv [--db PATH]

Stores the readings of a CSV with the header time,<value column>. Times without an
offset are UTC; NaN or an empty value is a missing reading. The whole file is stored
in one transaction: a bad row stores nothing and names its line.

Options:
  --db PATH     SQLite database file (env METERUSAGE_DB, default ${defaultDatabase})
  -h, --help    show this help`;

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { db: { type: "string" } },
  });
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

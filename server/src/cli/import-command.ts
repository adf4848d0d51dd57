import { statSync } from "node:fs";
import { importCsvFile } from "../ingest/import-csv-file.js";
import { openStore } from "../store/open-store.js";
import { shownLocation } from "../store/store-location.js";
import { databaseLocation, dbSetting } from "./options.js";
import { progressDisplay } from "./progress-display.js";
import { describeSettings, readSettings, type Setting } from "./settings.js";
import { UsageError } from "./usage-error.js";

const settings: Setting[] = [
  dbSetting,
  { flag: "dry-run", help: "check the whole file against the store, then store nothing" },
  { flag: "replace", help: "remove every stored reading first, in the same transaction" },
];

export const importUsage = `Usage: meterusage import FILE.csv [options]

Stores the readings of a CSV with the header time,<value column>. Times without an
offset are UTC; NaN or an empty value is a missing reading. The whole file is stored
in one transaction: a bad row stores nothing and names its line. Progress goes to
stderr: a bar on a terminal, a line every few seconds otherwise.

${describeSettings(settings)}`;

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = readSettings(args, settings, true);
  if (positionals.length !== 1) throw new UsageError("import takes exactly one CSV file");
  const [file] = positionals;
  const db = databaseLocation(values.db);
  const dryRun = values["dry-run"] === true;
  const replace = values.replace === true;
  const progress = progressDisplay(statSync(file).size);
  const store = await openStore(db);
  try {
    const { stored, removed } = await importCsvFile(store, file, {
      dryRun,
      replace,
      onProgress: (bytes, readings) => progress.update(bytes, readings),
    });
    progress.done();
    const replaced = replace ? `, replacing ${removed}` : "";
    console.log(
      dryRun
        ? `dry run: ${file} is fine; importing it would store ${stored} readings in ${shownLocation(db)}${replaced}. Nothing was stored.`
        : `stored ${stored} readings from ${file} in ${shownLocation(db)}${replaced}`,
    );
  } finally {
    progress.done();
    await store.close();
  }
}

import { statSync } from "node:fs";
import { importCsvFile } from "../ingest/import-csv-file.js";
import { firstMeterName } from "../meters/meter.js";
import { openStore } from "../store/open-store.js";
import { shownLocation } from "../store/store-location.js";
import { databaseLocation, dbSetting, meterFlag } from "./options.js";
import { progressDisplay } from "./progress-display.js";
import { describeSettings, readSettings, type Setting } from "./settings.js";
import { UsageError } from "./usage-error.js";

const settings: Setting[] = [
  dbSetting,
  { flag: "dry-run", help: "check the whole file against the store, then store nothing" },
  { flag: "replace", help: "remove the stored readings of every meter in the file first, in the same transaction" },
  { flag: "meter", value: "NAME", defaultText: "the column's header", help: "the meter of a file with one value column" },
];

export const importUsage = `Usage: meterusage import FILE.csv [options]

Stores the readings of a CSV in one of two shapes, told apart by the header:
  time,<meter>[,<meter>...]   wide: a column a meter, named by its header
  meter,time,value            long: a reading a line, any meters, in any order
Times without an offset are UTC; NaN or an empty value is a missing reading. A meter
that does not exist yet is created. The whole file is stored in one transaction: a bad
row stores nothing and names its line and meter. Progress goes to stderr: a bar on a
terminal, a line every few seconds otherwise.

${describeSettings(settings)}`;

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = readSettings(args, settings, true);
  if (positionals.length !== 1) throw new UsageError("import takes exactly one CSV file");
  const [file] = positionals;
  const db = databaseLocation(values.db);
  const dryRun = values["dry-run"] === true;
  const replace = values.replace === true;
  const meter = meterFlag(values.meter);
  const progress = progressDisplay(statSync(file).size);
  const store = await openStore(db);
  try {
    const { stored, removed } = await importCsvFile(store, file, {
      dryRun,
      replace,
      meter,
      valueColumnMeter: (await store.firstMeter()) ?? firstMeterName,
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


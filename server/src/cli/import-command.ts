import { statSync } from "node:fs";
import { importFile } from "../ingest/import-file.js";
import { describeFoundMeter, formatNames, type FoundMeter } from "../ingest/input-findings.js";
import { firstMeterName } from "../meters/meter.js";
import { openStore } from "../store/open-store.js";
import type { MeterSettings } from "../store/reading-store.js";
import { shownLocation } from "../store/store-location.js";
import { importSettings } from "./import-usage.js";
import { describeMeterSettings, hasMeterSettings, meterSettingsFlags } from "./meter-settings-flags.js";
import { databaseLocation, meterFlag } from "./options.js";
import { progressDisplay } from "./progress-display.js";
import { readSettings } from "./settings.js";
import { UsageError } from "./usage-error.js";

export async function importCommand(args: string[]): Promise<void> {
  const { values, positionals } = readSettings(args, importSettings, true);
  if (positionals.length !== 1) throw new UsageError("import takes exactly one file");
  const [file] = positionals;
  const db = databaseLocation(values.db);
  const dryRun = values["dry-run"] === true;
  const replace = values.replace === true;
  const meter = meterFlag(values.meter);
  const meterSettings = meterSettingsFlags(values);
  const progress = progressDisplay(statSync(file).size);
  const store = await openStore(db);
  try {
    const { stored, removed, found, findings } = await importFile(store, file, {
      dryRun,
      replace,
      meter,
      valueColumnMeter: (await store.firstMeter()) ?? firstMeterName,
      timeZone: meterSettings.timeZone,
      timeZoneOption: "--time-zone",
      unit: meterSettings.unit,
      fileName: file,
      onProgress: (bytes, readings) => progress.update(bytes, readings),
      settingsOf: (found) => settingsOfFile(found, meterSettings),
    });
    progress.done();
    if (findings !== undefined && findings.format !== "csv") {
      console.log(`${file} is ${formatNames[findings.format]}:`);
      for (const meter of found) console.log(`  ${describeFoundMeter(meter)}`);
      for (const note of findings.notes) console.log(`  ${note}`);
    }
    const replaced = replace ? `, replacing ${removed}` : "";
    if (dryRun) {
      console.log(`dry run: ${file} is fine; importing it would store ${stored} readings in ${shownLocation(db)}${replaced}. Nothing was stored.`);
      return;
    }
    console.log(`stored ${stored} readings from ${file} in ${shownLocation(db)}${replaced}`);
    if (hasMeterSettings(meterSettings)) {
      console.log(`set ${describeMeterSettings(meterSettings)} on ${found.length} meter${found.length === 1 ? "" : "s"}`);
    }
  } finally {
    progress.done();
    await store.close();
  }
}

/** Every meter of the file takes --unit and --time-zone; without --unit, a meter takes the unit the file gives it. */
function settingsOfFile(found: FoundMeter[], flags: MeterSettings): Map<string, MeterSettings> {
  const settings = new Map<string, MeterSettings>();
  for (const { meter, unit } of found) {
    const meterSettings = { unit: flags.unit ?? unit, timeZone: flags.timeZone };
    if (hasMeterSettings(meterSettings)) settings.set(meter, meterSettings);
  }
  return settings;
}

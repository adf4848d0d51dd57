import { statSync } from "node:fs";
import { importFile } from "../ingest/import-file.js";
import { describeFoundMeter, formatNames } from "../ingest/input-findings.js";
import { firstMeterName } from "../meters/meter.js";
import type { MeterReading } from "../readings/reading.js";
import { openStore } from "../store/open-store.js";
import type { ReadingStore } from "../store/reading-store.js";
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
  const fileMeters = new Set<string>();
  try {
    const { stored, removed, found, findings } = await importFile(notingMeters(store, fileMeters), file, {
      dryRun,
      replace,
      meter,
      valueColumnMeter: (await store.firstMeter()) ?? firstMeterName,
      timeZone: meterSettings.timeZone,
      timeZoneOption: "--time-zone",
      unit: meterSettings.unit,
      fileName: file,
      onProgress: (bytes, readings) => progress.update(bytes, readings),
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
    if (meterSettings.unit === undefined) {
      for (const { meter, unit } of found) if (unit !== undefined) await store.setMeterSettings(meter, { unit });
    }
    if (hasMeterSettings(meterSettings)) {
      for (const name of fileMeters) await store.setMeterSettings(name, meterSettings);
      console.log(`set ${describeMeterSettings(meterSettings)} on ${fileMeters.size} meter${fileMeters.size === 1 ? "" : "s"}`);
    }
  } finally {
    progress.done();
    await store.close();
  }
}

/** The store with its imports noting the meter of every reading, so that settings reach each meter a file holds. */
function notingMeters(store: ReadingStore, meters: Set<string>): ReadingStore {
  async function* noted(batches: AsyncIterable<MeterReading[]>) {
    for await (const batch of batches) {
      for (const reading of batch) meters.add(reading.meter);
      yield batch;
    }
  }
  return Object.assign(Object.create(store) as ReadingStore, {
    importReadings: (batches, options) => store.importReadings(noted(batches), options),
  } satisfies Pick<ReadingStore, "importReadings">);
}

import { formatTimestamp } from "../readings/timestamp-text.js";
import { openStore } from "../store/open-store.js";
import { databaseLocation, dbSetting } from "./options.js";
import { describeSettings, readSettings, type Setting } from "./settings.js";

const settings: Setting[] = [dbSetting];

export const metersUsage = `Usage: meterusage meters [options]

Lists the meters of a store, one a line: name, readings stored, first and last time.
The figures are kept current by every write, so listing reads no readings.

${describeSettings(settings)}`;

export async function metersCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values } = readSettings(args, settings);
  const store = await openStore(databaseLocation(values.db));
  try {
    const rows = (await store.meters()).map((meter) => [
      meter.name,
      String(meter.count),
      meter.firstTime === undefined ? "-" : formatTimestamp(meter.firstTime),
      meter.lastTime === undefined ? "-" : formatTimestamp(meter.lastTime),
    ]);
    out.write(table([["meter", "readings", "first", "last"], ...rows]));
  } finally {
    await store.close();
  }
}

/** Columns padded to their widest cell; numbers align right. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 1 ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))).join("  ").trimEnd())
    .join("\n")
    .concat("\n");
}

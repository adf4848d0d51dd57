import { formatTimestamp } from "../readings/timestamp-text.js";
import { openStore } from "../store/open-store.js";
import { metersSettings } from "./meters-usage.js";
import { databaseLocation } from "./options.js";
import { readSettings } from "./settings.js";

const header = ["meter", "readings", "first", "last", "unit", "time zone", "tariff"];
const countColumn = header.indexOf("readings");

export async function metersCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values } = readSettings(args, metersSettings);
  const store = await openStore(databaseLocation(values.db));
  try {
    const tariffs = await store.tariffs.meterTariffs();
    const rows = (await store.meters()).map((meter) => [
      meter.name,
      String(meter.count),
      meter.firstTime === undefined ? "-" : formatTimestamp(meter.firstTime),
      meter.lastTime === undefined ? "-" : formatTimestamp(meter.lastTime),
      meter.unit === "" ? "-" : meter.unit,
      meter.timeZone,
      tariffs.get(meter.name) ?? "-",
    ]);
    out.write(table([header, ...rows]));
  } finally {
    await store.close();
  }
}

/** Columns padded to their widest cell; counts align right. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const pad = (cell: string, column: number) => (column === countColumn ? cell.padStart(widths[column]) : cell.padEnd(widths[column]));
  return rows
    .map((row) => row.map(pad).join("  ").trimEnd())
    .join("\n")
    .concat("\n");
}

import { once } from "node:events";
import { csvHeader, csvLines } from "../readings/csv-text.js";
import type { TimeRange } from "../readings/reading.js";
import { checkRange } from "../readings/time-range.js";
import { parseTimestamp, timestampFormatHint } from "../readings/timestamp-text.js";
import { openStore } from "../store/open-store.js";
import { databaseLocation, dbSetting } from "./options.js";
import { describeSettings, readSettings, type Setting } from "./settings.js";
import { UsageError } from "./usage-error.js";

const settings: Setting[] = [
  dbSetting,
  { flag: "start", value: "TIME", defaultText: "the first reading", help: "first time to export" },
  { flag: "end", value: "TIME", defaultText: "after the last reading", help: "time to stop before" },
];

export const exportUsage = `Usage: meterusage export [options] > readings.csv

Writes the readings of [start, end) to stdout as CSV in the import format; a missing
reading is written as NaN. Times are RFC 3339 in UTC.

${describeSettings(settings)}`;

export async function exportCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values } = readSettings(args, settings);
  const range: TimeRange = checkOrExplain(() =>
    checkRange({ start: timeFlag(values.start, "start"), end: timeFlag(values.end, "end") }),
  );
  const store = await openStore(databaseLocation(values.db));
  try {
    out.write(csvHeader);
    for await (const batch of store.readBatches(range, 4096)) {
      if (!out.write(csvLines(batch))) await once(out, "drain");
    }
  } finally {
    await store.close();
  }
}

function timeFlag(value: string | boolean | undefined, name: string): number | undefined {
  if (typeof value !== "string") return undefined;
  const time = parseTimestamp(value);
  if (time === undefined) throw new UsageError(`--${name} ${JSON.stringify(value)} is not a time: ${timestampFormatHint}`);
  return time;
}

function checkOrExplain<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

import { once } from "node:events";
import { espiFeed } from "../ingest/espi/espi-feed.js";
import { UnknownMeterError } from "../meters/unknown-meter-error.js";
import { csvHeader, csvLines, longCsvHeader, longCsvLines } from "../readings/csv-text.js";
import type { TimeRange } from "../readings/reading.js";
import { checkRange } from "../readings/time-range.js";
import { parseTimestamp, timestampFormatHint } from "../readings/timestamp-text.js";
import { openStore } from "../store/open-store.js";
import { exportSettings } from "./export-usage.js";
import { databaseLocation, meterFlag } from "./options.js";
import { readSettings } from "./settings.js";
import { UsageError } from "./usage-error.js";

export async function exportCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const { values } = readSettings(args, exportSettings);
  const range: TimeRange = checkOrExplain(() =>
    checkRange({ start: timeFlag(values.start, "start"), end: timeFlag(values.end, "end") }),
  );
  const meter = meterFlag(values.meter);
  if (meter !== undefined && values.all === true) throw new UsageError("give either --meter or --all, not both");
  const format = values.format ?? "csv";
  if (format !== "csv" && format !== "espi") throw new UsageError(`--format ${JSON.stringify(format)} is neither csv nor espi`);
  if (format === "espi" && values.all === true) throw new UsageError("--format espi writes one meter: give --meter instead of --all");
  const store = await openStore(databaseLocation(values.db));
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  try {
    if (values.all === true) {
      await write(longCsvHeader);
      for (const { name } of await store.meters()) {
        for await (const batch of store.readBatches(name, range, 4096)) await write(longCsvLines(name, batch));
      }
      return;
    }
    const chosen = meter ?? (await store.firstMeter());
    if (chosen === undefined) throw new UsageError("the store holds no meters yet");
    if (format === "espi") {
      const found = await store.meter(chosen);
      if (found === undefined) throw new UnknownMeterError(chosen);
      for await (const text of espiFeed(store, found, range)) await write(text);
      return;
    }
    const batches = store.readBatches(chosen, range, 4096)[Symbol.asyncIterator]();
    // The first batch names an unknown meter before any header is written.
    let next = await batches.next();
    await write(csvHeader(chosen));
    for (; !next.done; next = await batches.next()) await write(csvLines(next.value));
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

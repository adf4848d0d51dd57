import { isMeterName } from "../meters/meter-name.js";
import type { MeterReading } from "../readings/reading.js";
import { parseTimestamp, timestampFormatHint } from "../readings/timestamp-text.js";
import { quotesClosed, separatorOf, splitFields, type CsvSeparator } from "./csv-fields.js";
import { CsvFormatError } from "./csv-format-error.js";
import { csvLines, type CsvInput } from "./csv-lines.js";
import { csvShape, headerHint, type CsvShape, type CsvShapeOptions } from "./csv-shape.js";
import { quickCsvRow, quickTime } from "./quick-csv-row.js";

export interface CsvReadingsOptions extends CsvShapeOptions {
  batchSize?: number;
}

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** A spreadsheet's decimal comma, `1,5`: there are no thousands separators to mistake it for. */
const decimalCommaPattern = /^[+-]?\d*,\d+$/;
const epochPattern = /^\d{1,16}(?:\.\d+)?$/;
/** Epoch times below this are seconds, above it milliseconds: 1e11 seconds is the year 5138, 1e11 ms 1973. */
const epochSecondsBelow = 1e11;
const missingValues = new Set(["", "nan"]);

/**
 * Reads a CSV of one or many meters, wide or long (see CsvShape), as batches of readings,
 * each tagged with its meter and line. Throws a CsvFormatError naming the line (and the
 * meter, where there is one) of the first row that is not a reading.
 */
export async function* csvReadings(input: CsvInput, options: CsvReadingsOptions = {}): AsyncGenerator<MeterReading[]> {
  const batchSize = options.batchSize ?? 4096;
  let shape: CsvShape | undefined;
  let separator: CsvSeparator = ",";
  let batch: MeterReading[] = [];
  // A long file names the same meter on line after line; one check of each run of it is enough.
  let lastMeter = "";
  // A row whose quoted field holds a line break, until its quote closes.
  let open: { text: string; line: number } | undefined;
  for await (const { first, lines } of csvLines(input)) {
    for (let i = 0; i < lines.length; i++) {
      let text = lines[i];
      let line = first + i;
      if (open !== undefined) {
        open.text += `\n${text}`;
        if (!quotesClosed(open.text)) continue;
        ({ text, line } = open);
        open = undefined;
      }
      if (shape === undefined) {
        if (text.trim() === "") continue;
        if (!quotesClosed(text)) {
          open = { text, line };
          continue;
        }
        separator = separatorOf(text);
        shape = csvShape(splitFields(text, separator), line, options);
        continue;
      }
      if (shape.kind === "wide" && shape.meters.length === 1) {
        const reading = quickCsvRow(separator === "," ? text : europeanAsPlain(text), line);
        if (reading !== undefined) {
          batch.push({ line, meter: shape.meters[0], time: reading.time, value: reading.value });
        } else if (text.trim() !== "") {
          if (!quotesClosed(text)) open = { text, line };
          else readWideRow(text, line, shape.meters, separator, batch);
        }
      } else if (text.trim() !== "") {
        if (!quotesClosed(text)) open = { text, line };
        else if (shape.kind === "wide") readWideRow(text, line, shape.meters, separator, batch);
        else {
          const reading = readLongRow(text, line, shape, separator, lastMeter);
          lastMeter = reading.meter;
          batch.push(reading);
        }
      }
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (open !== undefined) throw new CsvFormatError(open.line, "a quoted field opened on this line is never closed");
  if (shape === undefined) throw new CsvFormatError(1, `the file is empty: ${headerHint}`);
  if (batch.length > 0) yield batch;
}

/** `2019-01-01 00:15:00;1,5` as `2019-01-01 00:15:00,1.5`, for the quick reader; anything it cannot read goes to the full one. */
function europeanAsPlain(text: string): string {
  return text.replace(",", ".").replace(";", ",");
}

function readWideRow(text: string, line: number, meters: string[], separator: CsvSeparator, into: MeterReading[]): void {
  const fields = splitFields(text, separator);
  if (fields.length !== meters.length + 1) {
    const expected = meters.length === 1 ? "2 columns (time,value)" : `${meters.length + 1} columns (time and a value for each of ${meters.length} meters)`;
    throw new CsvFormatError(line, `expected ${expected}, found ${fields.length}`);
  }
  const time = readTime(fields[0], line);
  for (let m = 0; m < meters.length; m++) {
    into.push({ line, meter: meters[m], time, value: readValue(fields[m + 1], line, meters[m]) });
  }
}

export function readLongRow(
  text: string,
  line: number,
  shape: Extract<CsvShape, { kind: "long" }>,
  separator: CsvSeparator,
  lastMeter: string,
): MeterReading {
  const fields = splitFields(text, separator);
  if (fields.length !== 3) throw new CsvFormatError(line, `expected 3 columns (meter, time and value), found ${fields.length}`);
  const meter = fields[shape.meterAt].trim();
  if (meter !== lastMeter && !isMeterName(meter)) {
    throw new CsvFormatError(line, `the meter ${quote(meter)} is not a meter name: use 1 to 128 letters, digits or ._:-`);
  }
  return { line, meter, time: readTime(fields[shape.timeAt], line, meter), value: readValue(fields[shape.valueAt], line, meter) };
}

function readTime(field: string, line: number, meter?: string): number {
  const text = field.trim();
  const time = (text.length === 19 ? quickTime(text) : undefined) ?? parseTimestamp(text) ?? epochTime(text);
  if (time === undefined) {
    throw new CsvFormatError(line, `cannot read the time ${quote(text)}${ofMeter(meter)}: ${timestampFormatHint}`);
  }
  return time;
}

function readValue(field: string, line: number, meter: string): number | null {
  const text = field.trim();
  if (missingValues.has(text.toLowerCase())) return null;
  if (decimalCommaPattern.test(text)) return Number(text.replace(",", "."));
  if (!numberPattern.test(text)) {
    throw new CsvFormatError(line, `the value ${quote(text)}${ofMeter(meter)} is not a number (write NaN or leave it empty for a missing reading)`);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new CsvFormatError(line, `the value ${quote(text)}${ofMeter(meter)} is too large to store`);
  }
  return value;
}

/** Epoch seconds, or milliseconds from 1e11 up, as spreadsheets and loggers write them. */
function epochTime(text: string): number | undefined {
  if (!epochPattern.test(text)) return undefined;
  const number = Number(text);
  return Math.round(number < epochSecondsBelow ? number * 1000 : number);
}

function ofMeter(meter: string | undefined): string {
  return meter === undefined ? "" : ` of meter ${meter}`;
}

function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}

import type { NumberedReading } from "../readings/reading.js";
import { parseTimestamp, timestampFormatHint } from "../readings/timestamp-text.js";
import { CsvFormatError } from "./csv-format-error.js";
import { csvLines, type CsvInput } from "./csv-lines.js";
import { quickCsvRow } from "./quick-csv-row.js";

interface NumberedLine {
  number: number;
  text: string;
}

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const missingValues = new Set(["", "nan"]);

/**
 * Reads a `time,<value column>` CSV as batches of readings, each tagged with its line.
 * Throws a CsvFormatError naming the line of the first row that is not a reading.
 */
export async function* csvReadings(
  input: CsvInput,
  batchSize = 4096,
): AsyncGenerator<NumberedReading[]> {
  let sawHeader = false;
  let batch: NumberedReading[] = [];
  for await (const { first, lines } of csvLines(input)) {
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i];
      const number = first + i;
      if (!sawHeader) {
        if (text.trim() === "") continue;
        checkHeader({ number, text });
        sawHeader = true;
        continue;
      }
      const reading = quickCsvRow(text, number) ?? (text.trim() === "" ? undefined : parseRow({ number, text }));
      if (reading === undefined) continue;
      batch.push(reading);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (!sawHeader) throw new CsvFormatError(1, "the file is empty: expected a header `time,<value column>`");
  if (batch.length > 0) yield batch;
}

function checkHeader(line: NumberedLine): void {
  const fields = splitFields(line.text);
  if (fields.length !== 2 || fields[0].trim().toLowerCase() !== "time") {
    throw new CsvFormatError(
      line.number,
      `expected the header \`time,<value column>\`, found ${quote(line.text)}`,
    );
  }
}

function parseRow(line: NumberedLine): NumberedReading {
  const fields = splitFields(line.text);
  if (fields.length !== 2) {
    throw new CsvFormatError(line.number, `expected 2 columns (time,value), found ${fields.length}`);
  }
  const time = parseTimestamp(fields[0]);
  if (time === undefined) {
    throw new CsvFormatError(line.number, `cannot read the time ${quote(fields[0])}: ${timestampFormatHint}`);
  }
  return { line: line.number, time, value: parseValue(fields[1], line.number) };
}

function parseValue(field: string, lineNumber: number): number | null {
  const text = field.trim();
  if (missingValues.has(text.toLowerCase())) return null;
  if (!numberPattern.test(text)) {
    throw new CsvFormatError(lineNumber, `the value ${quote(text)} is not a number (write NaN or leave it empty for a missing reading)`);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new CsvFormatError(lineNumber, `the value ${quote(text)} is too large to store`);
  }
  return value;
}

/** Splits on commas and unwraps double-quoted fields; times and numbers never hold a comma. */
function splitFields(text: string): string[] {
  return text.split(",").map(unquote);
}

function unquote(field: string): string {
  const trimmed = field.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replaceAll('""', '"');
  }
  return field;
}

function quote(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(shown);
}

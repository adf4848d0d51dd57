import type { MeterReading } from "../../readings/reading.js";
import { formatTimestamp } from "../../readings/timestamp-text.js";
import { splitFields, quotesClosed } from "../csv-fields.js";
import { CsvFormatError } from "../csv-format-error.js";
import { csvLines, type CsvInput } from "../csv-lines.js";
import { IngestError } from "../ingest-error.js";
import type { InputFindings } from "../input-findings.js";
import { meterOfUnnamedFile, type InputOptions } from "../input-options.js";
import { LocalTimeReader } from "./local-time-reader.js";
import { WallClockReader } from "./wall-clock.js";

/** The header line that starts a Green Button "Download My Data" CSV's readings, after any preamble. */
export const greenButtonHeaderPattern = /^\s*"?TYPE"?\s*,\s*"?DATE"?\s*,\s*"?START TIME"?\s*,/i;

const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

interface ValueColumn {
  at: number;
  label: string;
  meter: string;
  /** The unit in the column's parentheses; otherwise the UNITS column's. */
  unit?: string;
}

interface Columns {
  date: number;
  startTime: number;
  units: number;
  values: ValueColumn[];
  /** How many columns a row needs to hold all of these. */
  width: number;
  /** Of the first `width` columns, those read. */
  read: boolean[];
}

/**
 * Reads a Green Button "Download My Data" CSV: a preamble of any lines, then the header
 * `TYPE,DATE,START TIME,END TIME,USAGE,...` (or `USAGE (kWh)`, or `IMPORT (kWh)` and
 * `EXPORT (kWh)`), a reading a row. DATE and START TIME are local wall-clock times of
 * options.timeZone: of two equal times in a fall-back night the first is the earlier instant,
 * and a time the clocks skip is refused naming its line.
 */
export async function* greenButtonCsvReadings(input: CsvInput, options: InputOptions, findings: InputFindings): AsyncGenerator<MeterReading[]> {
  if (options.timeZone === undefined) {
    const option = options.timeZoneOption ?? "--time-zone";
    throw new IngestError(`a Green Button CSV holds local times without their zone: give the zone they are in with ${option}, such as America/New_York`);
  }
  const local = new LocalTimeReader(options.timeZone);
  const wallClock = new WallClockReader();
  const meter = meterOfUnnamedFile(options);
  let columns: Columns | undefined;
  let batch: MeterReading[] = [];
  const units = new Map<string, { unit: string; line: number }>();
  // Per meter, the ambiguous local times already read: the second of two is the later instant.
  const repeated = new Map<string, Set<number>>();
  let open: { text: string; line: number } | undefined;
  const scratch: string[] = [];
  for await (const { first, lines } of csvLines(input)) {
    for (let i = 0; i < lines.length; i++) {
      let text = lines[i];
      let line = first + i;
      if (columns === undefined) {
        if (greenButtonHeaderPattern.test(text)) {
          columns = columnsOf(splitFields(text), line, meter);
          for (const column of columns.values) findings.sources.push({ meter: column.meter, unit: column.unit, origin: `the column ${column.label}` });
        }
        continue;
      }
      if (open !== undefined) {
        open.text += `\n${text}`;
        if (!quotesClosed(open.text)) continue;
        ({ text, line } = open);
        open = undefined;
      } else if (text.includes('"') && !quotesClosed(text)) {
        open = { text, line };
        continue;
      }
      if (text.trim() === "") continue;
      const fields = text.includes('"') ? splitFields(text) : (readFields(text, columns.read, scratch) ?? splitFields(text));
      readRow(fields, line, columns, wallClock, local, repeated, units, batch);
      if (batch.length >= 4096) {
        yield batch;
        batch = [];
      }
    }
  }
  if (columns === undefined) {
    throw new CsvFormatError(1, "no Green Button header: expected a line `TYPE,DATE,START TIME,END TIME,USAGE,...` before the readings");
  }
  if (open !== undefined) throw new CsvFormatError(open.line, "a quoted field opened on this line is never closed");
  for (const source of findings.sources) source.unit ??= units.get(source.meter)?.unit;
  if (batch.length > 0) yield batch;
}

function columnsOf(fields: string[], line: number, meter: string): Columns {
  const names = fields.map((field) => field.trim().toUpperCase());
  const date = names.indexOf("DATE");
  const startTime = names.indexOf("START TIME");
  const values: ValueColumn[] = [];
  names.forEach((name, at) => {
    const match = /^(USAGE|IMPORT|EXPORT)(?:\s*\((.+)\))?$/.exec(name);
    if (match === null) return;
    const label = fields[at].trim();
    const unit = match[2] === undefined ? undefined : unitFrom(label.slice(label.indexOf("(") + 1, -1));
    values.push({ at, label, meter: match[1] === "EXPORT" ? `${meter}-export` : meter, unit });
  });
  if (values.length === 0) {
    throw new CsvFormatError(line, `the Green Button header has no USAGE, IMPORT or EXPORT column: found ${JSON.stringify(fields.join(","))}`);
  }
  if (new Set(values.map((value) => value.meter)).size !== values.length) {
    throw new CsvFormatError(line, "the Green Button header has two columns for the same meter");
  }
  if (date < 0 || startTime < 0) throw new CsvFormatError(line, "the Green Button header needs a DATE and a START TIME column");
  const units = names.indexOf("UNITS");
  const width = Math.max(date, startTime, units, ...values.map((value) => value.at)) + 1;
  const read = Array.from({ length: width }, (_, at) => at === date || at === startTime || at === units || values.some((value) => value.at === at));
  return { date, startTime, units, values, width, read };
}

/**
 * The fields of a row without quotes up to the last column read, into `into`, the columns not
 * read left "": a row of seven fields costs two or three strings, not seven. Undefined when the
 * row has fewer fields than that, for splitFields to count them in the message.
 */
function readFields(text: string, read: boolean[], into: string[]): string[] | undefined {
  let from = 0;
  for (let at = 0; at < read.length; at++) {
    let comma = text.indexOf(",", from);
    if (comma === -1) {
      if (at < read.length - 1) return undefined;
      comma = text.length;
    }
    into[at] = read[at] ? text.slice(from, comma) : "";
    from = comma + 1;
  }
  return into;
}

/** Units as the rest of the service writes them: ESPI's kWh, m3 and therm. */
function unitFrom(text: string): string {
  const lower = text.trim().toLowerCase();
  if (lower === "kwh") return "kWh";
  if (lower === "therm" || lower === "therms") return "therm";
  if (lower === "m3" || lower === "m³") return "m3";
  return text.trim();
}

function readRow(
  fields: string[],
  line: number,
  columns: Columns,
  wallClock: WallClockReader,
  local: LocalTimeReader,
  repeated: Map<string, Set<number>>,
  units: Map<string, { unit: string; line: number }>,
  into: MeterReading[],
): void {
  if (fields.length < columns.width) {
    throw new CsvFormatError(line, `expected at least ${columns.width} columns, as the Green Button header has, found ${fields.length}`);
  }
  const time = wallClock.read(fields[columns.date].trim(), fields[columns.startTime].trim(), line);
  const unitText = columns.units >= 0 ? fields[columns.units].trim() : "";
  for (const column of columns.values) {
    const instant = instantOf(time, column.meter, line, local, repeated);
    const text = fields[column.at].trim();
    let value: number | null = null;
    if (text !== "") {
      if (!numberPattern.test(text)) throw new CsvFormatError(line, `the usage ${JSON.stringify(text)} of meter ${column.meter} is not a number`);
      value = Number(text);
    }
    if (column.unit === undefined && unitText !== "") {
      const unit = unitFrom(unitText);
      const earlier = units.get(column.meter);
      if (earlier === undefined) units.set(column.meter, { unit, line });
      else if (earlier.unit !== unit) {
        throw new CsvFormatError(line, `the unit ${JSON.stringify(unitText)} differs from line ${earlier.line}'s ${JSON.stringify(earlier.unit)}: one meter has one unit`);
      }
    }
    into.push({ line, meter: column.meter, time: instant, value });
  }
}

function instantOf(wallClock: number, meter: string, line: number, local: LocalTimeReader, repeated: Map<string, Set<number>>): number {
  const instants = local.instants(wallClock);
  if (instants.length === 1) return instants[0];
  const shown = formatTimestamp(wallClock).replace("T", " ").replace(/:00Z$/, "").replace("Z", "");
  if (instants.length === 0) {
    throw new CsvFormatError(line, `${shown} does not exist in ${local.zone}: the clocks went forward over it`);
  }
  let seen = repeated.get(meter);
  if (seen === undefined) repeated.set(meter, (seen = new Set()));
  if (!seen.has(wallClock)) {
    seen.add(wallClock);
    return instants[0];
  }
  return instants[1];
}

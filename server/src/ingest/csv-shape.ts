import { firstMeterName } from "../meters/meter.js";
import { isMeterName } from "../meters/meter-name.js";
import { CsvFormatError } from "./csv-format-error.js";

/**
 * How a file lays out its readings, read from its header. Wide: `time,<meter>,<meter>,...`,
 * a column a meter. Long: the columns `meter`, `time` and `value` in any order, a reading a line.
 */
export type CsvShape = { kind: "wide"; meters: string[] } | { kind: "long"; meterAt: number; timeAt: number; valueAt: number };

export interface CsvShapeOptions {
  /** Names the meter of a file with one value column, whatever its header says. */
  meter?: string;
  /**
   * The meter a one-column file headed `value` belongs to: earlier versions, which had no
   * meters, wrote that header, and their files still go where they went.
   */
  valueColumnMeter?: string;
}

const longColumns = ["meter", "time", "value"];

export const headerHint = "expected the header `time,<meter>[,<meter>...]` (a column a meter) or `meter,time,value` (a reading a line)";

export function csvShape(fields: string[], line: number, options: CsvShapeOptions): CsvShape {
  const names = fields.map((field) => field.trim());
  const lower = names.map((name) => name.toLowerCase());
  if (lower.includes("meter")) return longShape(names, lower, line, options);
  if (lower[0] !== "time" || names.length < 2) {
    throw new CsvFormatError(line, `${headerHint}, found ${JSON.stringify(names.join(","))}`);
  }
  let meters = names.slice(1);
  if (options.meter !== undefined) {
    if (meters.length !== 1) {
      throw new CsvFormatError(line, `a meter name was given for the file, but it has ${meters.length} value columns, each already a meter`);
    }
    meters = [options.meter];
  } else if (meters.length === 1 && lower[1] === "value") {
    meters = [options.valueColumnMeter ?? firstMeterName];
  }
  const seen = new Set<string>();
  for (const meter of meters) {
    if (!isMeterName(meter)) {
      throw new CsvFormatError(line, `the column ${JSON.stringify(meter)} is not a meter name: use 1 to 128 letters, digits or ._:-`);
    }
    if (seen.has(meter)) throw new CsvFormatError(line, `the meter ${meter} has two columns`);
    seen.add(meter);
  }
  return { kind: "wide", meters };
}

function longShape(names: string[], lower: string[], line: number, options: CsvShapeOptions): CsvShape {
  const extra = names.filter((_, i) => !longColumns.includes(lower[i]));
  if (extra.length > 0) {
    throw new CsvFormatError(line, `a file with a meter column has just the columns meter, time and value; remove ${extra.map((name) => JSON.stringify(name)).join(", ")}`);
  }
  const [meterAt, timeAt, valueAt] = longColumns.map((column) => lower.indexOf(column));
  if (timeAt < 0 || valueAt < 0 || names.length !== 3) {
    throw new CsvFormatError(line, `a file with a meter column needs exactly the columns meter, time and value, found ${JSON.stringify(names.join(","))}`);
  }
  if (options.meter !== undefined) {
    throw new CsvFormatError(line, "a meter name was given for the file, but its meter column names the meter of each reading");
  }
  return { kind: "long", meterAt, timeAt, valueAt };
}

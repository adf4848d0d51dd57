import { separatorOf, splitFields } from "./csv-fields.js";
import { longCsvColumns } from "./csv-long-bytes.js";
import { csvReadings } from "./csv-readings.js";
import { csvShape } from "./csv-shape.js";
import type { MeterReading } from "../readings/reading.js";
import type { InputFindings } from "./input-findings.js";
import type { InputOptions } from "./input-options.js";
import { formatOf, inputReadings, peek, type InputReadings } from "./input-readings.js";
import { toColumns, type ReadingColumns } from "./reading-columns.js";

export interface FileColumns {
  batches: AsyncGenerator<ReadingColumns>;
  /** What the reader learnt of a file of any format; complete once the batches are. */
  findings: InputFindings | undefined;
}

/**
 * A file's readings as columns. A long CSV headed `meter,time,value`, the form a fleet's
 * readings come in, is read from its bytes (longCsvColumns); every other file goes through the
 * reader of its format, with the same readings, lines and messages either way. With anyFormat
 * the file may be any format import knows, told by its content; otherwise it is a CSV.
 */
export async function fileColumns(file: AsyncIterable<Buffer>, options: InputOptions, anyFormat: boolean): Promise<FileColumns> {
  const { head, rest } = await peek(file);
  // A file stream's pieces are Buffers, and peek hands them on as they came.
  const pieces = rest as AsyncIterable<Buffer>;
  if ((!anyFormat || formatOf(head) === "csv") && isPlainLongHeader(head, options)) {
    return { batches: longCsvColumns(pieces), findings: anyFormat ? { format: "csv", sources: [], notes: [] } : undefined };
  }
  const input: Omit<InputReadings, "findings"> & Pick<FileColumns, "findings"> = anyFormat ? await inputReadings(pieces, options) : { batches: csvReadings(pieces, options), findings: undefined };
  return { batches: input.columns ?? asColumns(input.batches), findings: input.findings };
}

/** Whether the first line, ended by a newline, is the header `meter,time,value` as the full reader takes it for this file. */
function isPlainLongHeader(text: string, options: InputOptions): boolean {
  const end = text.indexOf("\n");
  if (end === -1) return false;
  const header = text.slice(text.charCodeAt(0) === 0xfeff ? 1 : 0, end).replace(/\r$/, "");
  if (header.trim() === "" || header.includes('"') || separatorOf(header) !== ",") return false;
  try {
    const shape = csvShape(splitFields(header), 1, options);
    return shape.kind === "long" && shape.meterAt === 0 && shape.timeAt === 1 && shape.valueAt === 2;
  } catch {
    return false;
  }
}

async function* asColumns(batches: AsyncIterable<MeterReading[]>): AsyncGenerator<ReadingColumns> {
  for await (const readings of batches) yield toColumns(readings);
}

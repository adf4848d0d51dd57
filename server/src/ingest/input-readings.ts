import { StringDecoder } from "node:string_decoder";
import type { MeterReading } from "../readings/reading.js";
import type { CsvInput } from "./csv-lines.js";
import { csvReadings } from "./csv-readings.js";
import { espiReadings } from "./espi/espi-readings.js";
import { greenButtonCsvReadings, greenButtonHeaderPattern } from "./green-button-csv/green-button-csv-readings.js";
import type { InputFindings, InputFormat } from "./input-findings.js";
import type { InputOptions } from "./input-options.js";
import { octopusBatches, octopusColumns } from "./octopus-json/octopus-readings.js";
import type { ReadingColumns } from "./reading-columns.js";

/** How much of the start of a file its format is told from: a Green Button CSV's preamble is a few lines. */
const sniffBytes = 64 * 1024;

/** A file's readings in whatever format it is, and what its reader learns of it on the way (complete once the batches are). */
export interface InputReadings {
  findings: InputFindings;
  batches: AsyncGenerator<MeterReading[]>;
  /** The same readings as columns, where the format's reader makes columns (read one or the other). */
  columns?: AsyncGenerator<ReadingColumns>;
}

/** The format of a file, told from its first characters: `<` is XML, `{` or `[` JSON, a Green Button header CSV of that kind, anything else today's CSV. */
export function formatOf(head: string): InputFormat {
  const start = head.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("<")) return "espi";
  if (start.startsWith("{") || start.startsWith("[")) return "octopus-json";
  const lines = start.split("\n", 200);
  return lines.some((line) => greenButtonHeaderPattern.test(line)) ? "green-button-csv" : "csv";
}

/** Reads a file or body of any of the formats, recognised by its content. */
export async function inputReadings(input: CsvInput, options: InputOptions, only?: InputFormat): Promise<InputReadings> {
  const { head, rest } = await peek(input);
  const format = only ?? formatOf(head);
  const findings: InputFindings = { format, sources: [], notes: [] };
  switch (format) {
    case "espi":
      return { findings, batches: espiReadings(rest, options, findings) };
    case "green-button-csv":
      return { findings, batches: greenButtonCsvReadings(rest, options, findings) };
    case "octopus-json":
      return { findings, batches: octopusBatches(rest, options, findings), columns: octopusColumns(rest, options, findings) };
    case "csv":
      return { findings, batches: csvReadings(rest, options) };
  }
}

/** The first chunks of the input as text, and the whole input again, those chunks first. */
export async function peek(input: CsvInput): Promise<{ head: string; rest: AsyncIterable<Buffer | string> }> {
  const iterator = (Symbol.asyncIterator in input ? input[Symbol.asyncIterator]() : input[Symbol.iterator]()) as
    | AsyncIterator<Buffer | string>
    | Iterator<Buffer | string>;
  const taken: (Buffer | string)[] = [];
  let size = 0;
  let done = false;
  while (size < sniffBytes) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  // Only the first sniffBytes are decoded: a file's first read is a megabyte, and what is told from its head needs no more.
  const decoder = new StringDecoder("utf8");
  let head = "";
  for (let i = 0; i < taken.length && head.length < sniffBytes; i++) {
    const chunk = taken[i];
    head += typeof chunk === "string" ? chunk : decoder.write(chunk.subarray(0, sniffBytes));
  }
  async function* rest(): AsyncGenerator<Buffer | string> {
    yield* taken;
    if (done) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  }
  return { head, rest: rest() };
}

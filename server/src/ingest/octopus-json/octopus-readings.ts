import { isAscii } from "node:buffer";
import { StringDecoder } from "node:string_decoder";
import type { MeterReading } from "../../readings/reading.js";
import { parseTimestamp } from "../../readings/timestamp-text.js";
import { FileFormatError } from "../file-format-error.js";
import type { InputFindings } from "../input-findings.js";
import { meterOfUnnamedFile, type InputOptions } from "../input-options.js";
import { fromColumns, type ReadingColumns } from "../reading-columns.js";
import { OctopusScanner, type ResultPlace, type ResultSink } from "./octopus-scanner.js";

const offsetTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Readings handed on at a time, once the file is read. */
const batchSize = 4096;

/**
 * Reads Octopus Energy consumption pages, `{"count":…,"next":…,"results":[{"consumption":0.063,
 * "interval_start":"2023-03-26T02:00:00+01:00","interval_end":…},…]}`: one page, a JSON array
 * of pages, or a page a line (JSON lines). A reading's time is its interval_start, read with
 * its offset; its value is consumption. The text streams through a scanner; what is held is
 * each reading's time, value and line, 24 bytes a reading, until the file has been read: the
 * API pages newest first, and the store wants the readings in time order.
 */
export async function* octopusColumns(input: AsyncIterable<Buffer | string>, options: InputOptions, findings: InputFindings): AsyncGenerator<ReadingColumns> {
  const readings = new OctopusReadings(options, findings);
  const scanner = new OctopusScanner(readings);
  const decoder = new StringDecoder("utf8");
  // Whether the decoder holds no part of a character: true after any piece that ends in an ASCII byte.
  let between = true;
  for await (const chunk of input) {
    if (typeof chunk === "string") scanner.push(chunk);
    // An ASCII piece (nearly every one: pages hold numbers, times and URLs) is its own text, read many times faster than UTF-8 is decoded.
    else if (between && isAscii(chunk)) scanner.push(chunk.toString("latin1"));
    else {
      scanner.push(decoder.write(chunk));
      if (chunk.length > 0) between = chunk[chunk.length - 1] < 0x80;
    }
  }
  scanner.push(decoder.end());
  scanner.end();
  yield* readings.inTimeOrder();
}

/** The same readings as octopusColumns, a reading an object. */
export async function* octopusBatches(input: AsyncIterable<Buffer | string>, options: InputOptions, findings: InputFindings): AsyncGenerator<MeterReading[]> {
  for await (const columns of octopusColumns(input, options, findings)) yield fromColumns(columns);
}

/** The readings of Octopus pages held whole in a string, in time order. */
export function octopusReadings(text: string, options: InputOptions, findings: InputFindings): MeterReading[] {
  const readings = new OctopusReadings(options, findings);
  const scanner = new OctopusScanner(readings);
  scanner.push(text);
  scanner.end();
  return [...readings.inTimeOrder()].flatMap(fromColumns);
}

/** Readings as columns, a block of batchSize at a time, so that none is copied as more arrive. */
interface Block {
  times: Float64Array;
  /** NaN for a missing consumption, as in ReadingColumns: JSON has no NaN, so it can mean nothing else. */
  values: Float64Array;
  lines: Float64Array;
}

/** Each result read as a reading of the file's meter, held as columns until the file ends. */
class OctopusReadings implements ResultSink {
  private readonly meter: string;
  private readonly clock = new ApiTimeReader();
  private readonly blocks: Block[] = [];
  private block: Block | undefined;
  private count = 0;

  constructor(options: InputOptions, findings: InputFindings) {
    this.meter = meterOfUnnamedFile(options);
    findings.sources.push({ meter: this.meter, unit: options.unit ?? "kWh", origin: "Octopus consumption results" });
  }

  plain(line: number, consumption: string | null, start: string, place: ResultPlace): void {
    this.add(line, this.timeOf(start, line, place), consumption === null ? NaN : Number(consumption));
  }

  parsed(line: number, result: unknown, place: ResultPlace): void {
    if (typeof result !== "object" || result === null) throw new FileFormatError(line, `${where(place)} is not an object`);
    const { interval_start: start, consumption } = result as { interval_start?: unknown; consumption?: unknown };
    const time = typeof start === "string" ? this.timeOf(start, line, place) : refusedTime(start, line, place);
    if (consumption === null || consumption === undefined) return this.add(line, time, NaN);
    if (typeof consumption !== "number") throw new FileFormatError(line, `${where(place)}.consumption ${JSON.stringify(consumption)} is not a number`);
    this.add(line, time, consumption);
  }

  /** The readings in time order, in batches. The order is stable: of a time given twice, the later in the file is the one refused. */
  *inTimeOrder(): Generator<ReadingColumns> {
    const { count, blocks, meter } = this;
    const times = new Float64Array(count);
    blocks.forEach((block, index) => times.set(block.times.subarray(0, Math.min(batchSize, count - index * batchSize)), index * batchSize));
    const order = timeOrder(times);
    for (let from = 0; from < count; from += batchSize) {
      const size = Math.min(batchSize, count - from);
      const batch = { times: new Float64Array(size), values: new Float64Array(size), lines: new Float64Array(size), meterIndexes: new Uint32Array(size), meterNames: [meter] };
      for (let k = 0; k < size; k++) {
        const i = order === "ascending" ? from + k : order === "descending" ? count - 1 - from - k : order[from + k];
        const block = blocks[Math.floor(i / batchSize)];
        batch.times[k] = times[i];
        batch.values[k] = block.values[i % batchSize];
        batch.lines[k] = block.lines[i % batchSize];
      }
      yield batch;
    }
  }

  private timeOf(start: string, line: number, place: ResultPlace): number {
    return this.clock.read(start) ?? (offsetTime.test(start.trim()) ? parseTimestamp(start.replace("T", " ")) : undefined) ?? refusedTime(start, line, place);
  }

  private add(line: number, time: number, value: number): void {
    const at = this.count++ % batchSize;
    if (at === 0) this.blocks.push((this.block = { times: new Float64Array(batchSize), values: new Float64Array(batchSize), lines: new Float64Array(batchSize) }));
    const block = this.block!;
    block.times[at] = time;
    block.values[at] = value;
    block.lines[at] = line;
  }
}

function where({ page, index }: ResultPlace): string {
  return `${page} results[${index}]`;
}

function refusedTime(start: unknown, line: number, place: ResultPlace): never {
  throw new FileFormatError(line, `${where(place)}.interval_start ${JSON.stringify(start)} is not a time with its offset, such as 2023-03-26T02:00:00+01:00`);
}

/**
 * The order that sorts the times, stably: as they are when they never go back (the API's
 * order_by=period), backwards when they only go back (its default, newest first), else the
 * indexes sorted by time and then by place in the file.
 */
function timeOrder(times: Float64Array): "ascending" | "descending" | Uint32Array {
  let ascending = true;
  let descending = true;
  for (let i = 1; i < times.length && (ascending || descending); i++) {
    if (times[i] < times[i - 1]) ascending = false;
    if (times[i] >= times[i - 1]) descending = false;
  }
  if (ascending) return "ascending";
  if (descending) return "descending";
  const order = Uint32Array.from({ length: times.length }, (_, i) => i);
  return order.sort((a, b) => times[a] - times[b] || a - b);
}

/**
 * Reads times as the API writes them, `2023-03-26T02:00:00+01:00` or `2023-01-15T00:30:00Z`,
 * from their characters, keeping the last date's midnight: a day has 48 results. Anything
 * else is undefined, for parseTimestamp to read or refuse.
 */
class ApiTimeReader {
  // Never the start of a time, so that the first time reads its date.
  private lastDate = "-";
  private lastMidnight = NaN;

  read(text: string): number | undefined {
    if ((text.length !== 20 && text.length !== 25) || text[10] !== "T" || text[13] !== ":" || text[16] !== ":") return undefined;
    if (!text.startsWith(this.lastDate)) {
      this.lastDate = text.slice(0, 10);
      this.lastMidnight = midnightOf(this.lastDate);
    }
    const hours = twoDigits(text, 11);
    const minutes = twoDigits(text, 14);
    const seconds = twoDigits(text, 17);
    if (!(hours <= 23 && minutes <= 59 && seconds <= 59) || Number.isNaN(this.lastMidnight)) return undefined;
    let offset = 0;
    if (text.length === 20) {
      if (text[19] !== "Z") return undefined;
    } else {
      const sign = text[19] === "+" ? 1 : text[19] === "-" ? -1 : 0;
      const offsetHours = twoDigits(text, 20);
      const offsetMinutes = twoDigits(text, 23);
      if (sign === 0 || text[22] !== ":" || !(offsetHours <= 23 && offsetMinutes <= 59)) return undefined;
      offset = sign * (offsetHours * 60 + offsetMinutes) * 60_000;
    }
    return this.lastMidnight + ((hours * 60 + minutes) * 60 + seconds) * 1000 - offset;
  }
}

/** The midnight of `YYYY-MM-DD` in years 1000 to 9998 (a day's offset then stays within what a timestamp may be), else NaN. */
function midnightOf(date: string): number {
  if (date[4] !== "-" || date[7] !== "-") return NaN;
  const year = twoDigits(date, 0) * 100 + twoDigits(date, 2);
  const month = twoDigits(date, 5);
  const day = twoDigits(date, 8);
  if (!(year >= 1000 && year <= 9998)) return NaN;
  const midnight = Date.UTC(year, month - 1, day);
  const check = new Date(midnight);
  return check.getUTCMonth() === month - 1 && check.getUTCDate() === day ? midnight : NaN;
}

/** The two digits at `at` as a number, or NaN. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : NaN;
}

import { quotesClosed } from "./csv-fields.js";
import { CsvFormatError } from "./csv-format-error.js";
import { maxLineLength } from "./csv-lines.js";
import { readLongRow } from "./csv-readings.js";
import { daysInMonth, daysSinceEpoch } from "./quick-csv-row.js";
import { ColumnsBuilder, type ReadingColumns } from "./reading-columns.js";

const dayMs = 86_400_000;
const [newline, carriageReturn, comma, minus, dot, colon, zero, nine] = ["\n", "\r", ",", "-", ".", ":", "0", "9"].map((c) => c.charCodeAt(0));
const [space, upperT, lowerT, upperZ, lowerZ] = [" ", "T", "t", "Z", "z"].map((c) => c.charCodeAt(0));
/** 10^k for the fraction digits of a value read by its bytes. */
const powersOfTen = Array.from({ length: 16 }, (_, k) => 10 ** k);
/** 1 for the bytes a meter name is made of: letters, digits and `._:-`. */
const meterNameByte = new Uint8Array(256);
for (const code of Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-", "latin1")) meterNameByte[code] = 1;
const longShape = { kind: "long", meterAt: 0, timeAt: 1, valueAt: 2 } as const;

/**
 * The rows of a long CSV headed `meter,time,value` (the header already checked), read from
 * the file's bytes into columns, batchSize readings a batch: a row of a fleet's file,
 * `meter-0001,2019-01-01 00:15:00,55.09`, costs a scan for its commas and a few compares,
 * since a meter-major file repeats the meter name and every file the date. Any row that is
 * not of that plain form (quotes, spaces, other time or number forms, a bad row) is handed,
 * as text, to the full reader, which alone decides what it means or what is wrong with it.
 */
export async function* longCsvColumns(input: AsyncIterable<Buffer>, batchSize = 4096): AsyncGenerator<ReadingColumns> {
  const rows = new LongRows(batchSize);
  let pending: Buffer | undefined;
  // Line 1, the header, is passed over like a row that holds no reading.
  let line = 0;
  for await (const chunk of input) {
    let start = 0;
    if (pending !== undefined) {
      const end = chunk.indexOf(newline);
      if (end === -1) {
        pending = Buffer.concat([pending, chunk]);
        checkLength(pending, line);
        continue;
      }
      const joined = Buffer.concat([pending, chunk.subarray(0, end + 1)]);
      pending = undefined;
      if (++line > 1) rows.row(joined, 0, withoutCarriageReturn(joined, joined.length - 1), line);
      start = end + 1;
      if (rows.isFull) yield rows.take();
    }
    for (let end = chunk.indexOf(newline, start); end !== -1; end = chunk.indexOf(newline, start)) {
      if (++line > 1) rows.row(chunk, start, withoutCarriageReturn(chunk, end), line);
      start = end + 1;
      if (rows.isFull) yield rows.take();
    }
    if (start < chunk.length) {
      pending = Buffer.from(chunk.subarray(start));
      checkLength(pending, line);
    }
  }
  if (pending !== undefined && ++line > 1) rows.row(pending, 0, pending[pending.length - 1] === carriageReturn ? pending.length - 1 : pending.length, line);
  rows.finish();
  if (rows.count > 0) yield rows.take();
}

function withoutCarriageReturn(bytes: Buffer, newlineAt: number): number {
  return newlineAt > 0 && bytes[newlineAt - 1] === carriageReturn ? newlineAt - 1 : newlineAt;
}

/** The same refusal as csvLines' of a line that has grown too long to be a reading. */
function checkLength(pending: Buffer, linesDone: number): void {
  if (pending.length > maxLineLength && pending.toString("utf8").length > maxLineLength) {
    throw new CsvFormatError(linesDone + 1, `line is longer than ${maxLineLength} characters`);
  }
}

/** Rows read into columns, remembering the last meter name and date so that a run of them is compared, not read again. */
class LongRows {
  private columns: ColumnsBuilder;
  private readonly meters = new KnownMeters();
  /** The meter of the last row read. */
  private lastMeter: KnownMeter | undefined;
  /** Counts batches, so that a meter knows whether its index is of the batch under way. */
  private batch = 0;
  private readonly lastDate = Buffer.alloc(10);
  /** Midnight UTC of lastDate; NaN until a date has been read. */
  private lastDay = NaN;
  /** A row whose quoted field holds a line break, until its quote closes. */
  private open: { text: string; line: number } | undefined;

  constructor(private readonly batchSize: number) {
    this.columns = new ColumnsBuilder(batchSize);
  }

  get count(): number {
    return this.columns.count;
  }

  get isFull(): boolean {
    return this.columns.count >= this.batchSize;
  }

  take(): ReadingColumns {
    const taken = this.columns.take();
    this.columns = new ColumnsBuilder(this.batchSize);
    this.batch++;
    return taken;
  }

  finish(): void {
    if (this.open !== undefined) throw new CsvFormatError(this.open.line, "a quoted field opened on this line is never closed");
  }

  /** The row in bytes[start, end), its line ending left out. */
  row(bytes: Buffer, start: number, end: number, line: number): void {
    if (this.open !== undefined || !this.quickRow(bytes, start, end, line)) this.fullRow(bytes.toString("utf8", start, end), line);
  }

  private quickRow(bytes: Buffer, start: number, end: number, line: number): boolean {
    let at = start;
    let hash = 0;
    let named = true;
    for (; at < end; at++) {
      const code = bytes[at];
      if (code === comma) break;
      named &&= meterNameByte[code] === 1;
      hash = (Math.imul(hash, 31) + code) | 0;
    }
    const meterLength = at - start;
    if (at === end || !named || meterLength === 0 || meterLength > 128) return false;
    let meter = this.lastMeter;
    if (meter === undefined || !sameBytes(meter.bytes, bytes, start, at)) {
      meter = this.meters.get(hash, bytes, start, at);
      if (meter === undefined) meter = this.meters.add(hash, Buffer.from(bytes.subarray(start, at)));
    }
    const time = this.quickTime(bytes, at + 1, end);
    if (time === undefined) return false;
    let valueAt = at + 20;
    if (bytes[valueAt] === upperZ || bytes[valueAt] === lowerZ) valueAt++;
    if (bytes[valueAt] !== comma) return false;
    const value = quickValue(bytes, valueAt + 1, end);
    if (value === undefined) return false;
    this.lastMeter = meter;
    this.columns.push(line, this.batchIndex(meter), time, value);
    return true;
  }

  /** The meter's index in the batch under way. */
  private batchIndex(meter: KnownMeter): number {
    if (meter.batch !== this.batch) {
      meter.batch = this.batch;
      meter.index = this.columns.meterIndex(meter.name);
    }
    return meter.index;
  }

  /** Epoch milliseconds of `YYYY-MM-DD?HH:MM:SS` at `at`, as quickTime reads it; a repeated date is compared, not read. */
  private quickTime(bytes: Buffer, at: number, end: number): number | undefined {
    if (end - at < 20) return undefined;
    if (this.lastDay !== this.lastDay || !sameBytes(this.lastDate, bytes, at, at + 10)) {
      const day = dayOf(bytes, at);
      if (day === undefined) return undefined;
      bytes.copy(this.lastDate, 0, at, at + 10);
      this.lastDay = day;
    }
    const separator = bytes[at + 10];
    if ((separator !== space && separator !== upperT && separator !== lowerT) || bytes[at + 13] !== colon || bytes[at + 16] !== colon) return undefined;
    const hour = digits(bytes, at + 11, 2);
    const minute = digits(bytes, at + 14, 2);
    const second = digits(bytes, at + 17, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
    return this.lastDay + ((hour * 60 + minute) * 60 + second) * 1000;
  }

  /** A row as the full reader of csvReadings takes it, with the same lines and messages. */
  private fullRow(text: string, line: number): void {
    if (this.open !== undefined) {
      this.open.text += `\n${text}`;
      if (!quotesClosed(this.open.text)) return;
      ({ text, line } = this.open);
      this.open = undefined;
    }
    if (text.trim() === "") return;
    if (!quotesClosed(text)) {
      this.open = { text, line };
      return;
    }
    const reading = readLongRow(text, line, longShape, ",", this.lastMeter?.name ?? "");
    if (reading.meter !== this.lastMeter?.name) this.lastMeter = this.meters.named(reading.meter);
    this.columns.push(line, this.batchIndex(this.lastMeter), reading.time, reading.value ?? NaN);
  }
}

interface KnownMeter {
  name: string;
  bytes: Uint8Array;
  /** The batch `index` is of. */
  batch: number;
  index: number;
}

/** The meters a file has named so far, found by their bytes: a time-major file names a different one on every row. */
class KnownMeters {
  private readonly byHash = new Map<number, KnownMeter[]>();

  get(hash: number, bytes: Uint8Array, start: number, end: number): KnownMeter | undefined {
    const candidates = this.byHash.get(hash);
    if (candidates === undefined) return undefined;
    for (const meter of candidates) if (sameBytes(meter.bytes, bytes, start, end)) return meter;
    return undefined;
  }

  add(hash: number, bytes: Uint8Array): KnownMeter {
    const meter = { name: Buffer.from(bytes).toString("latin1"), bytes, batch: -1, index: 0 };
    const candidates = this.byHash.get(hash);
    if (candidates === undefined) this.byHash.set(hash, [meter]);
    else candidates.push(meter);
    return meter;
  }

  /** A meter the full reader read (a valid name, ASCII alone). */
  named(name: string): KnownMeter {
    const bytes = Buffer.from(name, "latin1");
    let hash = 0;
    for (const code of bytes) hash = (Math.imul(hash, 31) + code) | 0;
    return this.get(hash, bytes, 0, bytes.length) ?? this.add(hash, bytes);
  }
}

/** Whether bytes[start, end) are `known`. */
function sameBytes(known: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (known.length !== end - start) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== bytes[start + i]) return false;
  return true;
}

/** Midnight UTC of `YYYY-MM-DD` at `at`, a real date of years 1 to 9999. */
function dayOf(bytes: Buffer, at: number): number | undefined {
  if (bytes[at + 4] !== minus || bytes[at + 7] !== minus) return undefined;
  const year = digits(bytes, at, 4);
  const month = digits(bytes, at + 5, 2);
  const day = digits(bytes, at + 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysSinceEpoch(year, month, day) * dayMs;
}

/**
 * The value `-?digits[.digits]` (NaN for an empty one or `NaN`, a missing reading) in
 * bytes[at, end). With at most 15 digits the digits make an exact integer and 10^k is exact,
 * so one division rounds once, to what Number() makes of the text; longer ones go to the full reader.
 */
function quickValue(bytes: Buffer, at: number, end: number): number | undefined {
  if (at === end) return NaN;
  if (end - at === 3 && (bytes[at] | 0x20) === 0x6e && (bytes[at + 1] | 0x20) === 0x61 && (bytes[at + 2] | 0x20) === 0x6e) return NaN;
  const negative = bytes[at] === minus;
  if (negative) at++;
  let integer = 0;
  let digitCount = 0;
  let fractionDigits = 0;
  let seenDot = false;
  for (; at < end; at++) {
    const code = bytes[at];
    if (code >= zero && code <= nine) {
      integer = integer * 10 + (code - zero);
      digitCount++;
      if (seenDot) fractionDigits++;
    } else if (code === dot && !seenDot) {
      seenDot = true;
    } else {
      return undefined;
    }
  }
  if (digitCount === 0 || digitCount > 15) return undefined;
  const value = fractionDigits === 0 ? integer : integer / powersOfTen[fractionDigits];
  return negative ? -value : value;
}

/** The number written by `count` digits from `at`, or -1 if any of them is not a digit. */
function digits(bytes: Buffer, at: number, count: number): number {
  let number = 0;
  for (let i = at; i < at + count; i++) {
    const code = bytes[i];
    if (code < zero || code > nine) return -1;
    number = number * 10 + (code - zero);
  }
  return number;
}

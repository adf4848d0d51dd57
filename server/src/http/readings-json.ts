import type { Reading } from "../readings/reading.js";
import { writeShortDecimal } from "../readings/json-numbers.js";
import type { ReadingColumns } from "../readings/reading-columns.js";

const dayMs = 86_400_000;
const zero = 48;
const valueOpen = bytesOf('Z","value":');
const nullText = bytesOf("null");

/**
 * The most one reading takes: a comma, `{"time":"`, a date of at most 7 + 6 characters and its
 * `T`, a clock of 12, `Z","value":`, a number of at most 24 characters (-1.2345678901234567e-308)
 * and `}`.
 */
const maxBytesPerReading = 1 + 9 + 14 + 12 + valueOpen.length + 24 + 1;

// `{"time":"2019-01-01T` by day number: readings come in time order, so consecutive ones
// nearly always share their date, and the answers of one service mostly ask for the same days.
const dayOpens = new Map<number, Uint8Array>();
const mostDaysKept = 8192;
let cachedDay = Number.NaN;
let cachedOpen = bytesOf("");

/**
 * Readings as the JSON route writes them, {"time":"…Z","value":55.09} joined by commas (and
 * led by one when `separated`), as bytes: times as formatTimestamp writes them, values as
 * JavaScript prints numbers, `null` where a value is missing. Written byte by byte into one
 * buffer from a `{"time":"2019-01-01T` made once a day: a Date, a string or a native call per
 * reading took most of a JSON answer's time.
 */
export function columnsJson({ times, values }: ReadingColumns, separated = false): Buffer {
  // Its own buffer, returned without a copy: the response holds it until the socket takes it.
  const bytes = Buffer.allocUnsafe((times.length + 1) * maxBytesPerReading);
  let at = 0;
  for (let i = 0; i < times.length; i++) {
    if (i > 0 || separated) bytes[at++] = 44;
    const time = times[i];
    const day = Math.floor(time / dayMs);
    if (day !== cachedDay) {
      cachedOpen = dayOpen(day);
      cachedDay = day;
    }
    at = copy(cachedOpen, bytes, at);
    at = writeClock(bytes, at, time - day * dayMs);
    at = copy(valueOpen, bytes, at);
    const value = values[i];
    if (value !== value) at = copy(nullText, bytes, at);
    else {
      const decimalEnd = writeShortDecimal(bytes, at, value);
      if (decimalEnd >= 0) at = decimalEnd;
      else {
        const text = String(value);
        for (let c = 0; c < text.length; c++) bytes[at++] = text.charCodeAt(c);
      }
    }
    bytes[at++] = 125;
  }
  return bytes.subarray(0, at);
}

function dayOpen(day: number): Uint8Array {
  let open = dayOpens.get(day);
  if (open === undefined) {
    const iso = new Date(day * dayMs).toISOString();
    open = bytesOf(`{"time":"${iso.slice(0, iso.indexOf("T") + 1)}`);
    if (dayOpens.size >= mostDaysKept) dayOpens.clear();
    dayOpens.set(day, open);
  }
  return open;
}

function bytesOf(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Copies a few bytes: a loop costs less than a native call for so few. */
function copy(from: Uint8Array, to: Uint8Array, at: number): number {
  for (let i = 0; i < from.length; i++) to[at++] = from[i];
  return at;
}

/** As columnsJson, for readings as objects. */
export function readingsJson(readings: Reading[]): string {
  const times = new Float64Array(readings.length);
  const values = new Float64Array(readings.length);
  readings.forEach(({ time, value }, i) => {
    times[i] = time;
    values[i] = value ?? Number.NaN;
  });
  return columnsJson({ times, values }).toString("latin1");
}

/** HH:MM:SS, and .mmm only when there are milliseconds, as formatTimestamp writes a time of day. */
function writeClock(bytes: Buffer, at: number, millisOfDay: number): number {
  const seconds = Math.floor(millisOfDay / 1000);
  const millis = millisOfDay - seconds * 1000;
  at = twoDigits(bytes, at, Math.floor(seconds / 3600));
  bytes[at++] = 58;
  at = twoDigits(bytes, at, Math.floor(seconds / 60) % 60);
  bytes[at++] = 58;
  at = twoDigits(bytes, at, seconds % 60);
  if (millis !== 0) {
    bytes[at++] = 46;
    bytes[at++] = zero + Math.floor(millis / 100);
    bytes[at++] = zero + (Math.floor(millis / 10) % 10);
    bytes[at++] = zero + (millis % 10);
  }
  return at;
}

function twoDigits(bytes: Buffer, at: number, n: number): number {
  bytes[at] = zero + Math.floor(n / 10);
  bytes[at + 1] = zero + (n % 10);
  return at + 2;
}

import { grownBytes } from "./grown-bytes.js";
import { formatTimestamp } from "./timestamp-text.js";

const day = 86_400_000;
// Four-digit years, where the arithmetic below writes what formatTimestamp does.
const earliestFourDigitYear = -62_135_596_800_000;
const latestFourDigitYear = 253_402_300_799_999;
const textEncoder = new TextEncoder();

/**
 * JSON written straight into one growing buffer, for answers of thousands of periods: built as
 * strings, each of their parts is an object for the collector, and the text is copied again to
 * be sent. Writes strings and numbers as JSON.stringify does and times as formatTimestamp does.
 */
export class JsonWriter {
  private bytes = new Uint8Array(16_384);
  private at = 0;
  // For each object open, whether a field was written in it: proto JSON leaves out fields at
  // their zero value, so which field comes first (and has no comma) is known only as they come.
  private readonly objectHasField: boolean[] = [];
  // The text of each span written, by its start: a usage answer repeats one list of periods for
  // every meter, and writing a thousand meters' month formatted the same 62 times a thousand times.
  private readonly spanTexts = new Map<number, { end: number; text: Uint8Array }>();

  /** The bytes written so far, copied out. */
  finish(): Uint8Array<ArrayBuffer> {
    return this.bytes.slice(0, this.at);
  }

  /** Opens an object whose fields each start with key(), up to its endObject(). */
  beginObject(): this {
    this.objectHasField.push(false);
    return this.ascii("{");
  }

  /** A field's name in the innermost open object, after a comma unless it is the object's first. */
  key(name: string): this {
    const innermost = this.objectHasField.length - 1;
    this.ascii(this.objectHasField[innermost] ? `,"${name}":` : `"${name}":`);
    this.objectHasField[innermost] = true;
    return this;
  }

  endObject(): this {
    this.objectHasField.pop();
    return this.ascii("}");
  }

  /** Text of ASCII characters only (punctuation, names of fields, numbers), as it is. */
  ascii(text: string): this {
    const length = text.length;
    this.room(length);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < length; i++) bytes[at++] = text.charCodeAt(i);
    this.at = at;
    return this;
  }

  /** A string, quoted and escaped as JSON.stringify does, in UTF-8. */
  string(value: string): this {
    const quoted = JSON.stringify(value);
    this.room(quoted.length * 3);
    this.at += textEncoder.encodeInto(quoted, this.bytes.subarray(this.at)).written;
    return this;
  }

  /** A number as JSON.stringify writes it: null for NaN and the infinities. */
  number(value: number): this {
    return this.ascii(Number.isFinite(value) ? String(value) : "null");
  }

  /** A time in epoch milliseconds as a quoted RFC 3339 UTC time, as formatTimestamp writes it. */
  timestamp(time: number): this {
    if (!(time >= earliestFourDigitYear && time <= latestFourDigitYear && Number.isInteger(time))) return this.string(formatTimestamp(time));
    const days = Math.floor(time / day);
    let rest = time - days * day;
    const { year, month, dayOfMonth } = civilDate(days);
    this.room(26);
    const bytes = this.bytes;
    let at = this.at;
    bytes[at++] = 0x22;
    at = fourDigits(bytes, at, year);
    bytes[at++] = 0x2d;
    at = twoDigits(bytes, at, month);
    bytes[at++] = 0x2d;
    at = twoDigits(bytes, at, dayOfMonth);
    bytes[at++] = 0x54;
    const milliseconds = rest % 1000;
    rest = (rest - milliseconds) / 1000;
    const seconds = rest % 60;
    rest = (rest - seconds) / 60;
    at = twoDigits(bytes, at, (rest - (rest % 60)) / 60);
    bytes[at++] = 0x3a;
    at = twoDigits(bytes, at, rest % 60);
    bytes[at++] = 0x3a;
    at = twoDigits(bytes, at, seconds);
    if (milliseconds !== 0) {
      bytes[at++] = 0x2e;
      bytes[at++] = 0x30 + Math.floor(milliseconds / 100);
      at = twoDigits(bytes, at, milliseconds % 100);
    }
    bytes[at++] = 0x5a;
    bytes[at++] = 0x22;
    this.at = at;
    return this;
  }

  /** A span's bounds as the fields `"start":"…","end":"…"`, each time as timestamp() writes it. */
  spanFields(start: number, end: number): this {
    const known = this.spanTexts.get(start);
    if (known === undefined || known.end !== end) {
      const from = this.at;
      this.ascii('"start":').timestamp(start).ascii(',"end":').timestamp(end);
      this.spanTexts.set(start, { end, text: this.bytes.slice(from, this.at) });
      return this;
    }
    const { text } = known;
    this.room(text.length);
    const bytes = this.bytes;
    let at = this.at;
    for (let i = 0; i < text.length; i++) bytes[at++] = text[i];
    this.at = at;
    return this;
  }

  private room(size: number): void {
    this.bytes = grownBytes(this.bytes, this.at, size);
  }
}

/** The proleptic Gregorian date of a count of days since 1970-01-01 (Howard Hinnant's civil_from_days). */
function civilDate(days: number): { year: number; month: number; dayOfMonth: number } {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const dayOfMonth = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, dayOfMonth };
}

function twoDigits(bytes: Uint8Array, at: number, value: number): number {
  bytes[at] = 0x30 + Math.floor(value / 10);
  bytes[at + 1] = 0x30 + (value % 10);
  return at + 2;
}

function fourDigits(bytes: Uint8Array, at: number, value: number): number {
  twoDigits(bytes, at, Math.floor(value / 100));
  return twoDigits(bytes, at + 2, value % 100);
}

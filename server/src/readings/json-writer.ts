import { grownBytes } from "./grown-bytes.js";
import { maxNumberText, NumberTexts, wholeDigits, writeShortDecimal } from "./json-numbers.js";
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
  private bytes: Uint8Array<ArrayBuffer>;
  private at = 0;
  // Periods come in order, so most times fall on the day before them: its date is kept.
  private dateDays = NaN;
  private date = { year: 0, month: 0, dayOfMonth: 0 };
  // For each object open, whether a field was written in it: proto JSON leaves out fields at
  // their zero value, so which field comes first (and has no comma) is known only as they come.
  private readonly objectHasField: boolean[] = [];
  // The text of each span written, by its start: a usage answer repeats one list of periods for
  // every meter, and writing a thousand meters' month formatted the same 62 times a thousand times.
  private readonly spanTexts = new Map<number, { end: number; text: Uint8Array }>();
  private longNumbers: NumberTexts | undefined;

  /**
   * `expectedSize`: about the bytes the answer takes. An answer of a megabyte written into a
   * buffer that doubles from 16 KB allocates, zeroes and copies twice that on the way.
   */
  constructor(expectedSize = 16_384) {
    this.bytes = new Uint8Array(Math.max(64, expectedSize));
  }

  /**
   * Readies the texts of the finite numbers without a short decimal (see hasShortDecimal) that
   * this writer is about to write, in the order it will: 17-digit sums, means and costs, most of a
   * priced answer's numbers. One JSON.stringify writes a list of them about three times as fast
   * as String() writes each, a string of its own. A number met out of its turn is written by
   * String(), as it would be without.
   */
  expectLongNumbers(values: number[]): this {
    this.longNumbers = new NumberTexts(values);
    return this;
  }

  /** The bytes written, the writer's own buffer rather than a copy of it: the writer is done with. */
  finish(): Uint8Array<ArrayBuffer> {
    return this.bytes.subarray(0, this.at);
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
    // Printable ASCII other than a quote or a backslash stands as it is: written straight in.
    const length = value.length;
    this.room(length + 2);
    const bytes = this.bytes;
    let at = this.at;
    bytes[at++] = 0x22;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return this.escapedString(value);
      bytes[at++] = code;
    }
    bytes[at++] = 0x22;
    this.at = at;
    return this;
  }

  private escapedString(value: string): this {
    const quoted = JSON.stringify(value);
    this.room(quoted.length * 3);
    this.at += textEncoder.encodeInto(quoted, this.bytes.subarray(this.at)).written;
    return this;
  }

  /** A number as JSON.stringify writes it: null for NaN and the infinities. */
  number(value: number): this {
    return Number.isFinite(value) ? this.finiteNumber(value) : this.ascii("null");
  }

  /**
   * A finite number as String(value) writes it: the text expected when it is the next long
   * number (already found to have no short decimal, so not asked again), else see
   * writeShortDecimal, and String for the rest.
   */
  finiteNumber(value: number): this {
    this.room(maxNumberText);
    let end = this.longNumbers === undefined ? -1 : this.longNumbers.write(this.bytes, this.at, value);
    if (end < 0) end = writeShortDecimal(this.bytes, this.at, value);
    if (end < 0) return this.ascii(String(value));
    this.at = end;
    return this;
  }

  /** A whole number from 0 up to 2^53, as String writes it. */
  count(value: number): this {
    this.room(16);
    this.at = wholeDigits(this.bytes, this.at, value);
    return this;
  }

  /** A time in epoch milliseconds as a quoted RFC 3339 UTC time, as formatTimestamp writes it. */
  timestamp(time: number): this {
    if (!(time >= earliestFourDigitYear && time <= latestFourDigitYear && Number.isInteger(time))) return this.string(formatTimestamp(time));
    const days = Math.floor(time / day);
    // Under a day's milliseconds: int32 arithmetic from here on.
    let rest = (time - days * day) | 0;
    if (days !== this.dateDays) {
      this.date = civilDate(days);
      this.dateDays = days;
    }
    const { year, month, dayOfMonth } = this.date;
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
    rest = ((rest - milliseconds) / 1000) | 0;
    const seconds = rest % 60;
    rest = ((rest - seconds) / 60) | 0;
    at = twoDigits(bytes, at, ((rest - (rest % 60)) / 60) | 0);
    bytes[at++] = 0x3a;
    at = twoDigits(bytes, at, rest % 60);
    bytes[at++] = 0x3a;
    at = twoDigits(bytes, at, seconds);
    if (milliseconds !== 0) {
      bytes[at++] = 0x2e;
      bytes[at++] = 0x30 + ((milliseconds / 100) | 0);
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
    if (this.at + size > this.bytes.length) this.bytes = grownBytes(this.bytes, this.at, size);
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
  bytes[at] = 0x30 + ((value / 10) | 0);
  bytes[at + 1] = 0x30 + (value % 10);
  return at + 2;
}

function fourDigits(bytes: Uint8Array, at: number, value: number): number {
  twoDigits(bytes, at, Math.floor(value / 100));
  return twoDigits(bytes, at + 2, value % 100);
}

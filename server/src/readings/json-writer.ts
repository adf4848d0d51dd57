import { grownBytes } from "./grown-bytes.js";
import { formatTimestamp } from "./timestamp-text.js";

const day = 86_400_000;
// Four-digit years, where the arithmetic below writes what formatTimestamp does.
const earliestFourDigitYear = -62_135_596_800_000;
const latestFourDigitYear = 253_402_300_799_999;
const textEncoder = new TextEncoder();
// Up to a millionth: readings have a few decimals, their means of a few periods a few more.
const powersOfTen = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
// A decimal of at most 15 significant digits reads back as its own double, and no two read as one.
const fifteenDigits = 1e15;
/** The most bytes writeShortDecimal writes: a sign, 15 digits and a point. */
export const maxShortDecimal = 17;

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

  /** A finite number as String(value) writes it: see writeShortDecimal, the texts expected, and String for the rest. */
  finiteNumber(value: number): this {
    this.room(maxNumberText);
    let end = writeShortDecimal(this.bytes, this.at, value);
    if (end < 0 && this.longNumbers !== undefined) end = this.longNumbers.write(this.bytes, this.at, value);
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

/** The texts of a list of numbers, one after another, from one JSON.stringify of them all: the same texts as String() writes. */
class NumberTexts {
  private readonly text: string;
  private next = 0;
  // Where the next number's text starts, after "[" or a comma.
  private at = 1;

  constructor(private readonly values: number[]) {
    this.text = JSON.stringify(values);
  }

  /** Writes the text of `value` at `at` when it is the next of the list, and answers where it ends; -1 when it is not. */
  write(bytes: Uint8Array, at: number, value: number): number {
    if (this.values[this.next] !== value) return -1;
    const text = this.text;
    let i = this.at;
    for (let code = text.charCodeAt(i); code !== 0x2c && code !== 0x5d; code = text.charCodeAt(++i)) bytes[at++] = code;
    this.at = i + 1;
    this.next++;
    return at;
  }
}

// The longest text String() writes for a finite double, "-1.2345678901234567e-308"; 25 for room.
const maxNumberText = 25;
/** Whether writeShortDecimal writes `value`: a finite number it does not is one for expectLongNumbers. */
export function hasShortDecimal(value: number): boolean {
  return shortDecimals(value) >= 0;
}

/**
 * Writes `value` at `at` as String(value) does when it is the double nearest some whole n over
 * 10^k, k <= 6, with n below 10^15 (readings, and sums and means of a few of them, mostly are),
 * and answers where it ends (at most maxShortDecimal bytes on); answers -1, writing nothing
 * that counts, for any other value (17-digit sums, tiny or huge values), which String writes.
 *
 * Why this is String(value): n's digits with the point put in, trailing zeros dropped, read back
 * as value, and distinct decimals of at most 15 significant digits are distinct doubles, so no
 * shorter decimal does: it is the shortest, which is what JavaScript prints, in plain notation
 * between 1e-7 and 1e21.
 */
export function writeShortDecimal(bytes: Uint8Array, at: number, value: number): number {
  const decimals = shortDecimals(value);
  return decimals < 0 ? -1 : writeDecimal(bytes, at, Math.round(value * powersOfTen[decimals]), decimals);
}

/** The k of writeShortDecimal's n over 10^k (6 may stand for fewer: writeDecimal drops trailing zeros), or -1 when there is none. */
function shortDecimals(value: number): number {
  // Where a millionth of the value still has under 15 digits, one try at six decimals says
  // for every count of decimals: a value that is some n over 10^k, k < 6, is n x 10^(6-k)
  // millionths. Sums and means of 17 digits, most of a priced answer's numbers, go straight to
  // String instead of after seven tries.
  const millionths = Math.round(value * 1_000_000);
  if (millionths < fifteenDigits && millionths > -fifteenDigits) return millionths / 1_000_000 === value ? 6 : -1;
  for (let decimals = 0; decimals < powersOfTen.length; decimals++) {
    const scale = powersOfTen[decimals];
    const whole = Math.round(value * scale);
    if (whole / scale === value && whole < fifteenDigits && whole > -fifteenDigits) return decimals;
  }
  return -1;
}

/** whole / 10^decimals in plain notation, without trailing zeros, -0 as 0: answers where it ends. */
function writeDecimal(bytes: Uint8Array, at: number, whole: number, decimals: number): number {
  if (whole < 0) {
    bytes[at++] = 0x2d;
    whole = -whole;
  }
  const scale = powersOfTen[decimals];
  // The fraction is under a million: its zeros come off in int32 arithmetic.
  let fraction = whole % scale | 0;
  at = wholeDigits(bytes, at, (whole - fraction) / scale);
  while (decimals > 0 && fraction % 10 === 0) {
    fraction = (fraction / 10) | 0;
    decimals--;
  }
  return fractionDigits(bytes, at, fraction, decimals);
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

/** The digits of a whole number from 0 up to 2^53, written at `at`: answers where they end. */
function wholeDigits(bytes: Uint8Array, at: number, value: number): number {
  let digits = 1;
  for (let power = 10; power <= value; power *= 10) digits++;
  // Below 2^31 in int32 arithmetic, whose remainders cost a fraction of a double's.
  if (value <= 0x7fffffff) {
    let small = value | 0;
    for (let i = at + digits - 1; i >= at; i--) {
      const digit = small % 10;
      bytes[i] = 0x30 + digit;
      small = ((small - digit) / 10) | 0;
    }
    return at + digits;
  }
  for (let i = at + digits - 1; i >= at; i--) {
    const digit = value % 10;
    bytes[i] = 0x30 + digit;
    value = (value - digit) / 10;
  }
  return at + digits;
}

/** A point and `decimals` digits of `fraction` (below 10^decimals), or nothing when there are none. */
function fractionDigits(bytes: Uint8Array, at: number, fraction: number, decimals: number): number {
  if (decimals === 0) return at;
  bytes[at] = 0x2e;
  let small = fraction | 0;
  for (let i = at + decimals; i > at; i--) {
    const digit = small % 10;
    bytes[i] = 0x30 + digit;
    small = ((small - digit) / 10) | 0;
  }
  return at + decimals + 1;
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

import type { NumberedReading } from "../readings/reading.js";

const dayMs = 86_400_000;
const [zero, nine, comma, minus, dot, colon] = ["0", "9", ",", "-", ".", ":"].map((c) => c.charCodeAt(0));
const timeSeparators = new Set(["T", "t", " "].map((c) => c.charCodeAt(0)));
const utcSuffixes = new Set(["Z", "z"].map((c) => c.charCodeAt(0)));

/**
 * Reads the row nearly every file is made of, `2019-01-01 00:15:00,55.09` (a `T` for the
 * space and a trailing `Z` allowed), by its characters: no regular expression, no Date and
 * no array of fields, which made up most of an import's time. Anything else, a missing value
 * or a bad row included, answers undefined and goes to the full reader, which alone decides
 * what a row means and what is wrong with it.
 */
export function quickCsvRow(text: string, line: number): NumberedReading | undefined {
  const utc = utcSuffixes.has(text.charCodeAt(19));
  const valueStart = utc ? 21 : 20;
  if (text.charCodeAt(valueStart - 1) !== comma) return undefined;
  const time = quickTime(text);
  if (time === undefined) return undefined;
  const value = quickValue(text, valueStart);
  if (value === undefined) return undefined;
  return { line, time, value };
}

/** Epoch milliseconds of `YYYY-MM-DD?HH:MM:SS` at the start of `text`, a real UTC time of years 1 to 9999. */
export function quickTime(text: string): number | undefined {
  if (
    text.charCodeAt(4) !== minus ||
    text.charCodeAt(7) !== minus ||
    !timeSeparators.has(text.charCodeAt(10)) ||
    text.charCodeAt(13) !== colon ||
    text.charCodeAt(16) !== colon
  ) {
    return undefined;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return daysSinceEpoch(year, month, day) * dayMs + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** The decimal number `-?digits[.digits]` that ends `text`; undefined for anything else, a missing value included. */
function quickValue(text: string, start: number): number | undefined {
  let at = text.charCodeAt(start) === minus ? start + 1 : start;
  const firstDigit = at;
  while (isDigit(text.charCodeAt(at))) at++;
  if (at === firstDigit) return undefined;
  if (text.charCodeAt(at) === dot) {
    at++;
    while (isDigit(text.charCodeAt(at))) at++;
  }
  if (at !== text.length) return undefined;
  const value = Number(text.slice(start));
  return Number.isFinite(value) ? value : undefined;
}

/** The number written by `count` digits from `at`, or -1 if any of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let number = 0;
  for (let i = at; i < at + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    number = number * 10 + (code - zero);
  }
  return number;
}

function isDigit(code: number): boolean {
  return code >= zero && code <= nine;
}

export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Days from 1970-01-01 in the proleptic Gregorian calendar, as Date counts them (H. Hinnant's days_from_civil). */
export function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

import type { MeterReading } from "../../readings/reading.js";
import { parseTimestamp } from "../../readings/timestamp-text.js";
import { FileFormatError } from "../file-format-error.js";
import type { InputFindings } from "../input-findings.js";
import { meterOfUnnamedFile, type InputOptions } from "../input-options.js";

/** The largest Octopus file read: it is parsed whole, and a year of half-hours takes about 2 MB. */
export const maxOctopusBytes = 256 * 1024 * 1024;

const offsetTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

interface Page {
  page: unknown;
  /** The line the page starts on, and how to name it in a message. */
  line: number;
  name: string;
}

/**
 * Reads Octopus Energy consumption pages, `{"count":…,"next":…,"results":[{"consumption":0.063,
 * "interval_start":"2023-03-26T02:00:00+01:00","interval_end":…},…]}`: one page, a JSON array
 * of pages, or a page a line (JSON lines). A reading's time is its interval_start, read with
 * its offset; its value is consumption.
 */
export function octopusReadings(text: string, options: InputOptions, findings: InputFindings): MeterReading[] {
  const meter = meterOfUnnamedFile(options);
  findings.sources.push({ meter, unit: options.unit ?? "kWh", origin: "Octopus consumption results" });
  const readings: MeterReading[] = [];
  const lineOf = resultLines(text);
  let resultIndex = 0;
  const clock = new ApiTimeReader();
  for (const { page, line, name } of pagesOf(text)) {
    if (typeof page !== "object" || page === null || Array.isArray(page)) {
      throw new FileFormatError(line, `${name} is not an Octopus consumption page: expected an object {"results":[…]}`);
    }
    const { results } = page as { results?: unknown };
    if (!Array.isArray(results)) {
      throw new FileFormatError(line, `${name} has no \`results\` list: an Octopus consumption page is {"count":…,"results":[{"consumption":…,"interval_start":…},…]}`);
    }
    for (let index = 0; index < results.length; index++) {
      const at = lineOf[resultIndex++] ?? line;
      readings.push(readResult(results[index], meter, at, clock, () => `${name} results[${index}]`));
    }
  }
  // The API pages newest first: in time order, the store writes each stretch of time once. The
  // sort is stable, so of a time given twice the later in the file is the one refused.
  return readings.sort((a, b) => a.time - b.time);
}

function readResult(result: unknown, meter: string, line: number, clock: ApiTimeReader, where: () => string): MeterReading {
  if (typeof result !== "object" || result === null) throw new FileFormatError(line, `${where()} is not an object`);
  const { interval_start: start, consumption } = result as { interval_start?: unknown; consumption?: unknown };
  const time = typeof start !== "string" ? undefined : (clock.read(start) ?? (offsetTime.test(start.trim()) ? parseTimestamp(start.replace("T", " ")) : undefined));
  if (time === undefined) {
    throw new FileFormatError(line, `${where()}.interval_start ${JSON.stringify(start)} is not a time with its offset, such as 2023-03-26T02:00:00+01:00`);
  }
  if (consumption === null || consumption === undefined) return { line, meter, time, value: null };
  if (typeof consumption !== "number") throw new FileFormatError(line, `${where()}.consumption ${JSON.stringify(consumption)} is not a number`);
  return { line, meter, time, value: consumption };
}

/**
 * Reads times as the API writes them, `2023-03-26T02:00:00+01:00` or `2023-01-15T00:30:00Z`,
 * from their characters, keeping the last date's midnight: a day has 48 results. Anything
 * else is undefined, for parseTimestamp to read or refuse.
 */
class ApiTimeReader {
  private lastDate = "";
  private lastMidnight = NaN;

  read(text: string): number | undefined {
    if ((text.length !== 20 && text.length !== 25) || text[10] !== "T" || text[13] !== ":" || text[16] !== ":") return undefined;
    const date = text.slice(0, 10);
    if (date !== this.lastDate) {
      this.lastMidnight = midnightOf(date);
      this.lastDate = date;
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

function pagesOf(text: string): Page[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return jsonLines(text);
  }
  if (Array.isArray(document)) return document.map((page, index) => ({ page, line: 1, name: `page ${index + 1} of the array` }));
  return [{ page: document, line: 1, name: "the page" }];
}

function jsonLines(text: string): Page[] {
  const pages: Page[] = [];
  text.split("\n").forEach((lineText, index) => {
    if (lineText.trim() === "") return;
    try {
      pages.push({ page: JSON.parse(lineText), line: index + 1, name: `the page on line ${index + 1}` });
    } catch (error) {
      throw new FileFormatError(index + 1, `not JSON: ${(error as Error).message}`);
    }
  });
  return pages;
}

/** The line of each result in the text, in order, found by its interval_start key: a message and a duplicate can then name the line. */
function resultLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  // The next line break is found once, not again for every result of a page written on one line.
  let newline = text.indexOf("\n");
  for (let at = text.indexOf('"interval_start"'); at !== -1; at = text.indexOf('"interval_start"', at + 1)) {
    for (; newline !== -1 && newline < at; newline = text.indexOf("\n", newline + 1)) line++;
    lines.push(line);
  }
  return lines;
}

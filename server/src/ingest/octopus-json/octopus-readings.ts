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
  for (const { page, line, name } of pagesOf(text)) {
    if (typeof page !== "object" || page === null || Array.isArray(page)) {
      throw new FileFormatError(line, `${name} is not an Octopus consumption page: expected an object {"results":[…]}`);
    }
    const { results } = page as { results?: unknown };
    if (!Array.isArray(results)) {
      throw new FileFormatError(line, `${name} has no \`results\` list: an Octopus consumption page is {"count":…,"results":[{"consumption":…,"interval_start":…},…]}`);
    }
    results.forEach((result, index) => {
      const where = `${name} results[${index}]`;
      const at = lineOf[resultIndex++] ?? line;
      readings.push({ line: at, meter, ...readResult(result, where, at) });
    });
  }
  return readings;
}

function readResult(result: unknown, where: string, line: number): { time: number; value: number | null } {
  if (typeof result !== "object" || result === null) throw new FileFormatError(line, `${where} is not an object`);
  const { interval_start: start, consumption } = result as { interval_start?: unknown; consumption?: unknown };
  const time = typeof start === "string" && offsetTime.test(start.trim()) ? parseTimestamp(start.replace("T", " ")) : undefined;
  if (time === undefined) {
    throw new FileFormatError(line, `${where}.interval_start ${JSON.stringify(start)} is not a time with its offset, such as 2023-03-26T02:00:00+01:00`);
  }
  if (consumption === null || consumption === undefined) return { time, value: null };
  if (typeof consumption !== "number") throw new FileFormatError(line, `${where}.consumption ${JSON.stringify(consumption)} is not a number`);
  return { time, value: consumption };
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
  let from = 0;
  for (let at = text.indexOf('"interval_start"'); at !== -1; at = text.indexOf('"interval_start"', at + 1)) {
    for (let newline = text.indexOf("\n", from); newline !== -1 && newline < at; newline = text.indexOf("\n", newline + 1)) line++;
    from = at;
    lines.push(line);
  }
  return lines;
}

import type { Reading } from "../readings/reading.js";
import { parseTimestamp, timestampFormatHint } from "../readings/timestamp-text.js";
import { IngestError } from "./ingest-error.js";
import { maxReadingsPerRequest } from "./ingest-limits.js";

/**
 * Reads {"meter":"flat-1","readings":[{"time":"2019-01-01T00:15:00Z","value":55.09},…]};
 * a null or absent value is missing, and the meter may be left out.
 */
export function jsonReadings(text: string): { meter?: string; readings: Reading[] } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new IngestError(`the body is not JSON: ${(error as Error).message}`);
  }
  const { readings: list, meter } = (body ?? {}) as { readings?: unknown; meter?: unknown };
  if (!Array.isArray(list)) throw new IngestError('expected a JSON object {"readings":[{"time":…,"value":…},…]}');
  if (list.length > maxReadingsPerRequest) {
    throw new IngestError(`${list.length} readings is more than the ${maxReadingsPerRequest} one request may carry`);
  }
  if (meter !== undefined && typeof meter !== "string") throw new IngestError(`the meter ${JSON.stringify(meter)} is not a string`);
  return { meter, readings: list.map(readingAt) };
}

function readingAt(item: unknown, index: number): Reading {
  const where = `readings[${index}]`;
  if (typeof item !== "object" || item === null) throw new IngestError(`${where} is not an object`);
  const { time, value } = item as { time?: unknown; value?: unknown };
  const parsed = typeof time === "string" ? parseTimestamp(time) : undefined;
  if (parsed === undefined) throw new IngestError(`${where}.time ${JSON.stringify(time)} is not a time: ${timestampFormatHint}`);
  if (value === undefined || value === null) return { time: parsed, value: null };
  if (typeof value !== "number") throw new IngestError(`${where}.value ${JSON.stringify(value)} is not a number or null`);
  return { time: parsed, value };
}

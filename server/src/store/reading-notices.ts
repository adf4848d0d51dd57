import type { Reading } from "../readings/reading.js";

/** The channel on which every process announces the readings it stored, and listens. */
export const readingsChannel = "meterusage_readings";

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. */
export const maxPayloadBytes = 7900;

const fencePrefix = "fence ";

export type Notice = { kind: "readings"; readings: Reading[] } | { kind: "fence"; id: string };

/**
 * Readings as NOTIFY payloads: JSON arrays of [epoch milliseconds, value or null], split so
 * that none is longer than maxPayloadBytes. JSON of numbers is ASCII, so characters are bytes.
 */
export function readingPayloads(readings: Reading[]): string[] {
  const payloads: string[] = [];
  let items: string[] = [];
  let length = 2;
  for (const { time, value } of readings) {
    const item = JSON.stringify([time, value]);
    if (items.length > 0 && length + 1 + item.length > maxPayloadBytes) {
      payloads.push(`[${items.join(",")}]`);
      items = [];
      length = 2;
    }
    length += item.length + (items.length > 0 ? 1 : 0);
    items.push(item);
  }
  if (items.length > 0) payloads.push(`[${items.join(",")}]`);
  return payloads;
}

export function fencePayload(id: string): string {
  return fencePrefix + id;
}

/** What a payload on the channel says; undefined for one that no meterusage process sent. */
export function parseNotice(payload: string): Notice | undefined {
  if (payload.startsWith(fencePrefix)) return { kind: "fence", id: payload.slice(fencePrefix.length) };
  let items: unknown;
  try {
    items = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!Array.isArray(items) || !items.every(isReadingItem)) return undefined;
  return { kind: "readings", readings: items.map(([time, value]) => ({ time, value })) };
}

function isReadingItem(item: unknown): item is [number, number | null] {
  return (
    Array.isArray(item) &&
    item.length === 2 &&
    Number.isSafeInteger(item[0]) &&
    (item[1] === null || typeof item[1] === "number")
  );
}

import type { Reading } from "../../readings/reading.js";

/** The channel on which every process announces the readings it stored, and listens. */
export const readingsChannel = "meterusage_readings";

/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. */
export const maxPayloadBytes = 7900;

const fencePrefix = "fence ";

export type Notice = { kind: "readings"; meter: string; readings: Reading[]; more: boolean } | { kind: "fence"; id: string };

/**
 * A transaction's readings of one meter as NOTIFY payloads of at most maxPayloadBytes each:
 * {"meter":"flat-1","readings":[[epoch milliseconds, value or null],…]}, with "more":true on
 * every payload but the last, so that listeners can pass on the meter's readings together.
 * JSON of numbers and meter names is ASCII, so characters are bytes.
 */
export function readingPayloads(meter: string, readings: Reading[]): string[] {
  const open = `{"meter":${JSON.stringify(meter)},"readings":[`;
  const continued = '],"more":true}';
  const payloads: string[] = [];
  let items: string[] = [];
  let length = open.length + continued.length;
  for (const { time, value } of readings) {
    const item = JSON.stringify([time, value]);
    if (items.length > 0 && length + 1 + item.length > maxPayloadBytes) {
      payloads.push(`${open}${items.join(",")}${continued}`);
      items = [];
      length = open.length + continued.length;
    }
    length += item.length + (items.length > 0 ? 1 : 0);
    items.push(item);
  }
  if (items.length > 0) payloads.push(`${open}${items.join(",")}]}`);
  return payloads;
}

export function fencePayload(id: string): string {
  return fencePrefix + id;
}

/** What a payload on the channel says; undefined for one that no meterusage process sent. */
export function parseNotice(payload: string): Notice | undefined {
  if (payload.startsWith(fencePrefix)) return { kind: "fence", id: payload.slice(fencePrefix.length) };
  let notice: unknown;
  try {
    notice = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof notice !== "object" || notice === null || !("readings" in notice) || !("meter" in notice)) return undefined;
  const { readings, meter } = notice;
  if (typeof meter !== "string" || !Array.isArray(readings) || !readings.every(isReadingItem)) return undefined;
  const more = "more" in notice && notice.more === true;
  return { kind: "readings", meter, readings: readings.map(([time, value]) => ({ time, value })), more };
}

function isReadingItem(item: unknown): item is [number, number | null] {
  return (
    Array.isArray(item) &&
    item.length === 2 &&
    Number.isSafeInteger(item[0]) &&
    (item[1] === null || typeof item[1] === "number")
  );
}

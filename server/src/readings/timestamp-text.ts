const timestampPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

// What google.protobuf.Timestamp can carry: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z.
const earliestTime = -62_135_596_800_000;
const latestTime = 253_402_300_799_999;

/** What a timestamp must look like, for error messages. */
export const timestampFormatHint =
  "expected YYYY-MM-DD HH:MM:SS or RFC 3339 (e.g. 2019-01-01T00:15:00Z); without an offset the time is UTC";

/**
 * Reads a timestamp as epoch milliseconds, or returns undefined when the text is not one.
 * Naive times are UTC, an offset is honoured, and a bare date means its midnight.
 * Date.parse is not used because it reads naive times in the local zone and accepts
 * impossible dates such as February 30.
 */
export function parseTimestamp(text: string): number | undefined {
  const match = timestampPattern.exec(text.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", offset] = match;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const millis = fraction === "" ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const utc = new Date(0);
  utc.setUTCFullYear(y, mo - 1, d);
  utc.setUTCHours(h, mi, s, millis);
  const time = utc.getTime() - offsetMinutes(offset) * 60_000;
  return time >= earliestTime && time <= latestTime ? time : undefined;
}

/** Formats epoch milliseconds as RFC 3339 in UTC, with fractional seconds only when there are any. */
export function formatTimestamp(time: number): string {
  const iso = new Date(time).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

function daysInMonth(year: number, month: number): number {
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return lastDay.getUTCDate();
}

function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset.toUpperCase() === "Z") return 0;
  const digits = offset.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return offset.startsWith("-") ? -minutes : minutes;
}

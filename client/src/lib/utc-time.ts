const timePattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

/**
 * Reads a time the way the service does: RFC 3339, a naive date-time (which is UTC, so that
 * the UTC inputs and shared addresses mean the same everywhere) or a bare date (its midnight).
 * Date.parse is not used because it reads naive times in the browser's zone.
 */
export function parseUtcTime(text: string): number | undefined {
  const match = timePattern.exec(text.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour = "0", minute = "0", second = "0", fraction = "", offset] = match;
  const fields = [year, month, day, hour, minute, second].map(Number);
  const [y, mo, d, h, mi, s] = fields;
  const millis = fraction === "" ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const time = Date.UTC(y, mo - 1, d, h, mi, s, millis);
  const check = new Date(time);
  // Date.UTC rolls impossible dates such as February 30 over into the next month; refuse them.
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return undefined;
  }
  return time - offsetMinutes(offset) * 60_000;
}

function offsetMinutes(offset: string | undefined): number {
  if (offset === undefined || offset.toUpperCase() === "Z") return 0;
  const digits = offset.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return offset.startsWith("-") ? -minutes : minutes;
}

/** RFC 3339 in UTC, as the service and shared addresses use it: 2019-01-02T00:00:00Z. */
export function rfc3339(time: number): string {
  return new Date(time).toISOString().replace(".000Z", "Z");
}

/** "2019-01-01 00:15", for places where "UTC" is stated once nearby, such as a column header. */
export function utcText(time: number): string {
  const iso = new Date(time).toISOString();
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === "00" ? "" : `:${seconds}`}`;
}

/** "2019-01-01 00:15 UTC", for a time shown on its own. */
export function utcTextWithZone(time: number): string {
  return `${utcText(time)} UTC`;
}

/** The value a datetime-local input shows for a time, read as UTC. */
export function inputValue(time: number | undefined): string {
  if (time === undefined) return "";
  const iso = new Date(time).toISOString();
  return iso.slice(17, 19) === "00" ? iso.slice(0, 16) : iso.slice(0, 19);
}

export function startOfUtcDay(time: number): number {
  return Math.floor(time / dayMs) * dayMs;
}

const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Chart tick labels in UTC with the month named, since "1/2" reads as 2 January in some
 * countries and 1 February in others: "2019" when ticks are years apart, "Jan 2019" months apart,
 * "Jan 2" when days apart, "06:00" within a day, with the date under the first tick and
 * under each midnight so that every tick can be placed.
 */
export function tickTexts(times: number[], step: number): string[] {
  return times.map((time, index) => {
    const date = new Date(time);
    if (step >= 365 * dayMs) return String(date.getUTCFullYear());
    if (step >= 28 * dayMs) return `${monthNames[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
    const day = `${monthNames[date.getUTCMonth()]} ${date.getUTCDate()}`;
    if (step >= dayMs) return index === 0 ? `${day}\n${date.getUTCFullYear()}` : day;
    const clock = date.toISOString().slice(11, 16);
    return index === 0 || clock === "00:00" ? `${clock}\n${day}` : clock;
  });
}

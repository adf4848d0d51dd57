import { offsetStretches } from "../usage/zone-offsets.js";

const timePattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const hour = 3_600_000;

/**
 * The instants a device's time may mean: an RFC 3339 time (or epoch seconds or milliseconds)
 * is one instant; a local time without offset, read in `zone`, is one, or two in a repeated
 * fall-back hour (earlier first), or the instant the clocks moved to in a skipped spring hour.
 * Undefined when the value is not a time.
 */
export function messageInstants(value: unknown, zone: string): number[] | undefined {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) {
    // Seconds until the year 5138; milliseconds after.
    return [Math.round(value < 1e11 ? value * 1000 : value)];
  }
  if (typeof value !== "string") return undefined;
  const match = timePattern.exec(value.trim());
  if (match === null) return undefined;
  const [, year, month, day, h, mi, s = "0", fraction = "", offset] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  date.setUTCHours(Number(h), Number(mi), Number(s), fraction === "" ? 0 : Math.floor(Number(`0.${fraction}`) * 1000));
  const wallClock = date.getTime();
  if (offset !== undefined) return [wallClock - offsetMillis(offset)];
  if (zone === "UTC") return [wallClock];
  // Offsets stay within 14 hours of UTC, so every instant the time may mean lies in this window;
  // the zone's stretches of one offset are worked out once a year of them and kept.
  const stretches = offsetStretches(zone, wallClock - 15 * hour, wallClock + 15 * hour);
  const candidates = stretches.map(({ offset }) => wallClock - offset).filter((instant, i) => instant >= stretches[i].start && instant < stretches[i].end);
  // A skipped local time is read with the offset before the change, as clocks that were not
  // moved yet would show it: it lands just after the change.
  return candidates.length > 0 ? candidates : [wallClock - stretches[0].offset];
}

/** The earlier of a local time's instants unless that is not after `newest`, then the later. */
export function chooseInstant(instants: number[], newest: number | undefined): number {
  if (instants.length === 1 || newest === undefined || instants[0] > newest) return instants[0];
  return instants[instants.length - 1];
}

function offsetMillis(offset: string): number {
  if (offset.toUpperCase() === "Z") return 0;
  const digits = offset.slice(1).replace(":", "");
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return (offset.startsWith("-") ? -minutes : minutes) * 60_000;
}

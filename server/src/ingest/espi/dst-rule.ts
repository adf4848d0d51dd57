import { utcOffset } from "../../usage/zone-offsets.js";

/**
 * ESPI's DstRuleType (as IEEE 2030.5's): a 32-bit rule for the local time a clock change
 * happens each year. Bits 28-31 month, 25-27 operator, 20-24 day of month, 17-19 day of week
 * (1 Monday to 7 Sunday), 12-16 hour, 0-11 seconds.
 */
export interface DstRule {
  month: number;
  /** 0 on the day of the month; 1 that weekday on or after it; 2-6 its first to fifth; 7 its last. */
  operator: number;
  dayOfMonth: number;
  dayOfWeek: number;
  hour: number;
  seconds: number;
}

const monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const ordinals = ["first", "second", "third", "fourth", "fifth"];

export function decodeDstRule(hex: string): DstRule | undefined {
  if (!/^[0-9a-f]{1,8}$/i.test(hex)) return undefined;
  const bits = Number.parseInt(hex, 16);
  const rule = {
    month: bits >>> 28,
    operator: (bits >>> 25) & 7,
    dayOfMonth: (bits >>> 20) & 31,
    dayOfWeek: (bits >>> 17) & 7,
    hour: (bits >>> 12) & 31,
    seconds: bits & 0xfff,
  };
  return rule.month >= 1 && rule.month <= 12 ? rule : undefined;
}

export function encodeDstRule({ month, operator, dayOfMonth, dayOfWeek, hour, seconds }: DstRule): string {
  const bits = ((month << 28) | (operator << 25) | (dayOfMonth << 20) | (dayOfWeek << 17) | (hour << 12) | seconds) >>> 0;
  return bits.toString(16).toUpperCase().padStart(8, "0");
}

/** `the second Sunday of March at 02:00` */
export function describeDstRule(rule: DstRule): string {
  const month = monthNames[rule.month - 1];
  const weekday = weekdayNames[rule.dayOfWeek - 1] ?? "day";
  const at = `${String(rule.hour).padStart(2, "0")}:${String(Math.floor(rule.seconds / 60)).padStart(2, "0")}`;
  let day: string;
  if (rule.operator === 0) day = `${month} ${rule.dayOfMonth}`;
  else if (rule.operator === 1) day = `the first ${weekday} on or after ${month} ${rule.dayOfMonth}`;
  else if (rule.operator === 7) day = `the last ${weekday} of ${month}`;
  else day = `the ${ordinals[rule.operator - 2]} ${weekday} of ${month}`;
  return `${day} at ${at}`;
}

/** `UTC-05:00` */
export function describeOffset(seconds: number): string {
  const minutes = Math.abs(seconds) / 60;
  const sign = seconds < 0 ? "-" : "+";
  return `UTC${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** A zone's LocalTimeParameters for the year of `time`: its standard offset and, where its clocks change, by how much and when. */
export interface ZoneTimeParameters {
  tzOffset: number;
  dstOffset: number;
  dstStartRule: string;
  dstEndRule: string;
}

const hour = 3_600_000;

export function zoneTimeParameters(zone: string, time: number): ZoneTimeParameters {
  const year = new Date(time).getUTCFullYear();
  const changes: { at: number; before: number; after: number }[] = [];
  let offset = utcOffset(zone, Date.UTC(year, 0, 1));
  for (let at = Date.UTC(year, 0, 1); at < Date.UTC(year + 1, 0, 1); at += hour) {
    const next = utcOffset(zone, at + hour);
    if (next !== offset) changes.push({ at: at + hour, before: offset, after: next });
    offset = next;
  }
  if (changes.length !== 2) {
    return { tzOffset: utcOffset(zone, time) / 1000, dstOffset: 0, dstStartRule: "00000000", dstEndRule: "00000000" };
  }
  const start = changes.find((change) => change.after > change.before)!;
  const end = changes.find((change) => change.after < change.before)!;
  return {
    tzOffset: start.before / 1000,
    dstOffset: (start.after - start.before) / 1000,
    dstStartRule: encodeDstRule(ruleOf(start.at, start.before)),
    dstEndRule: encodeDstRule(ruleOf(end.at, end.before)),
  };
}

/** The rule of a change at `at`, as the local clock read just before it. */
function ruleOf(at: number, offsetBefore: number): DstRule {
  const local = new Date(at + offsetBefore);
  const day = local.getUTCDate();
  const daysInMonth = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
  const operator = day + 7 > daysInMonth ? 7 : 1 + Math.ceil(day / 7);
  return {
    month: local.getUTCMonth() + 1,
    operator,
    dayOfMonth: 0,
    dayOfWeek: local.getUTCDay() === 0 ? 7 : local.getUTCDay(),
    hour: local.getUTCHours(),
    seconds: local.getUTCMinutes() * 60 + local.getUTCSeconds(),
  };
}

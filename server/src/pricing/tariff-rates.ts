import type { Rate, Tariff } from "../tariffs/tariff.js";
import { weekdays } from "../tariffs/tariff.js";

const minute = 60_000;
const day = 86_400_000;

/** A rate as pricing asks it: its window in milliseconds of the local day, its days as bits. */
export interface RateWindow {
  price: number;
  start: number;
  end: number;
  /** end <= start: the window runs from start to midnight and on from midnight to end. */
  wraps: boolean;
  /** Bit n set for weekday n (0 Sunday); 0 for every day. */
  days: number;
}

/** A version as pricing asks it: in force over [from, to). */
export interface VersionInForce {
  from: number;
  to: number;
  standingChargePerDay: number;
  dynamic: boolean;
  rates: RateWindow[];
}

export function versionsInForce(tariff: Tariff): VersionInForce[] {
  return tariff.versions.map((version, index) => ({
    from: version.validFrom,
    to: tariff.versions[index + 1]?.validFrom ?? Infinity,
    standingChargePerDay: version.standingChargePerDay,
    dynamic: version.dynamic,
    rates: version.rates.map(rateWindow),
  }));
}

function rateWindow(rate: Rate): RateWindow {
  const start = rate.windowStart === "" ? 0 : clockTime(rate.windowStart);
  const end = rate.windowEnd === "" ? day : clockTime(rate.windowEnd);
  const days = rate.days.reduce((bits, name) => bits | (1 << weekdays.indexOf(name as (typeof weekdays)[number])), 0);
  return { price: rate.price, start, end, wraps: end <= start, days };
}

function clockTime(text: string): number {
  const [hours, minutes] = text.split(":").map(Number);
  return (hours * 60 + minutes) * minute;
}

/** The price of the first rate whose window and days hold the local time, or undefined. */
export function ratePrice(rates: RateWindow[], timeOfDay: number, weekday: number): number | undefined {
  for (const rate of rates) {
    if (rate.days !== 0 && (rate.days & (1 << weekday)) === 0) continue;
    if (rate.wraps ? timeOfDay >= rate.start || timeOfDay < rate.end : timeOfDay >= rate.start && timeOfDay < rate.end) return rate.price;
  }
  return undefined;
}


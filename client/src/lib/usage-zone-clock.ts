import type { Day } from "./usage-calendar.js";

const minuteMs = 60_000;
const dayMs = 1440 * minuteMs;
// Every zone in use changes its offset on a quarter hour, so one answer serves a whole quarter.
const quarterHourMs = 15 * minuteMs;

/** Where an instant falls on a zone's wall clock. */
export interface WallClock {
  day: Day;
  /** Minutes since local midnight: 0 to 1439. */
  minute: number;
}

/**
 * Reads instants on a zone's wall clock. Intl is slow enough to matter for a year of
 * 15-minute readings, so the zone's offset is asked once per quarter hour and kept.
 */
export class ZoneClock {
  readonly #format: Intl.DateTimeFormat;
  readonly #offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    this.#format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
  }

  /** Local time minus UTC, in milliseconds, at `time`. */
  offset(time: number): number {
    const quarter = Math.floor(time / quarterHourMs);
    let offset = this.#offsets.get(quarter);
    if (offset === undefined) {
      const start = quarter * quarterHourMs;
      const parts = Object.fromEntries(this.#format.formatToParts(start).map(({ type, value }) => [type, Number(value)]));
      offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute) - start;
      this.#offsets.set(quarter, offset);
    }
    return offset;
  }

  wallClock(time: number): WallClock {
    const local = time + this.offset(time);
    const day = Math.floor(local / dayMs);
    return { day, minute: Math.floor((local - day * dayMs) / minuteMs) };
  }

  /** The instant of a local date's midnight (or the first instant after, where midnight is skipped). */
  midnight(day: Day): number {
    const wall = day * dayMs;
    const guess = wall - this.offset(wall);
    return wall - this.offset(guess);
  }
}

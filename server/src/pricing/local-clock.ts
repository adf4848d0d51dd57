import { offsetStretches, type OffsetStretch } from "../usage/zone-offsets.js";

const day = 86_400_000;

/**
 * The local time of day and weekday of instants in a zone, asked in time order: one walk
 * along the zone's stretches of constant offset, no time zone lookup a reading.
 */
export class LocalClock {
  private readonly stretches: OffsetStretch[];
  private at = 0;
  /** Milliseconds since local midnight of the last time asked. */
  timeOfDay = 0;
  /** 0 for Sunday to 6 for Saturday. */
  weekday = 0;

  constructor(zone: string, start: number, end: number) {
    this.stretches = offsetStretches(zone, start, end);
  }

  /** Sets timeOfDay and weekday for a time in [start, end), no earlier than the one before. */
  set(time: number): void {
    while (this.at < this.stretches.length - 1 && this.stretches[this.at].end <= time) this.at++;
    const wallClock = time + this.stretches[this.at].offset;
    const days = Math.floor(wallClock / day);
    this.timeOfDay = wallClock - days * day;
    // 1970-01-01 was a Thursday.
    this.weekday = (((days + 4) % 7) + 7) % 7;
  }
}

import { offsetStretches, type OffsetStretch } from "../../usage/zone-offsets.js";

const hour = 3_600_000;
const day = 24 * hour;

/** What a local wall-clock time is in a zone: one instant, two (the repeated hour of a fall-back night), or none (the skipped hour of spring). */
export type LocalInstants = [] | [number] | [number, number];

/**
 * Reads local wall-clock times of one zone as instants. The zone's offsets are worked out once
 * per local day and kept, since a file holds dozens of readings a day and asking the zone
 * database costs microseconds a call.
 */
export class LocalTimeReader {
  private readonly days = new Map<number, OffsetStretch[]>();
  /** The day asked last, and its one offset when its clocks do not change: most rows need nothing more. */
  private lastDay = NaN;
  private lastOffset: number | undefined;

  constructor(readonly zone: string) {}

  /** `local` is the wall-clock time written as if it were UTC, in milliseconds. */
  instants(local: number): LocalInstants {
    const dayStart = Math.floor(local / day) * day;
    if (dayStart === this.lastDay && this.lastOffset !== undefined) return [local - this.lastOffset];
    const stretches = this.stretchesOf(dayStart);
    this.lastDay = dayStart;
    this.lastOffset = stretches.length === 1 ? stretches[0].offset : undefined;
    const found: number[] = [];
    for (const { start, end, offset } of stretches) {
      const instant = local - offset;
      if (instant >= start && instant < end) found.push(instant);
    }
    found.sort((a, b) => a - b);
    return found as LocalInstants;
  }

  private stretchesOf(dayStart: number): OffsetStretch[] {
    let stretches = this.days.get(dayStart);
    if (stretches === undefined) {
      if (this.days.size > 4096) this.days.clear();
      // Offsets lie within ±18 hours, so these stretches hold every instant the day's local times can be.
      stretches = offsetStretches(this.zone, dayStart - 19 * hour, dayStart + day + 19 * hour);
      this.days.set(dayStart, stretches);
    }
    return stretches;
  }
}

import type { Reading, TimeRange } from "../readings/reading.js";
import { FollowerTooSlowError } from "./follower-too-slow-error.js";

/**
 * The new readings one follower has yet to receive. Offering never blocks, so a slow
 * follower cannot hold up ingest; a follower whose queue outgrows its bound is stopped
 * with FollowerTooSlowError rather than growing memory without end.
 */
export class LiveTail {
  /**
   * Readings at or before this time have been passed by the read of stored readings and
   * must come from here; later ones that read will still find in the store.
   */
  passedUntil = -Infinity;
  private queue: Reading[] = [];
  private overflowed = false;
  private lastTaken: number | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly range: TimeRange,
    private readonly maxQueued: number,
  ) {}

  offer(readings: Reading[]): void {
    if (this.overflowed) return;
    for (const reading of readings) {
      if (reading.time <= this.passedUntil && this.inRange(reading.time)) this.queue.push(reading);
    }
    if (this.queue.length > this.maxQueued) {
      this.overflowed = true;
      this.queue = [];
    }
    this.wake?.();
  }

  /** Waits for new readings, oldest first; undefined once the signal aborts. */
  async take(signal: AbortSignal): Promise<Reading[] | undefined> {
    while (this.queue.length === 0 && !this.overflowed && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const onAbort = () => resolve();
        signal.addEventListener("abort", onAbort, { once: true });
        this.wake = () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        };
      });
      this.wake = undefined;
    }
    if (this.overflowed) throw new FollowerTooSlowError(this.lastTaken, this.maxQueued);
    if (signal.aborted) return undefined;
    const taken = this.queue.sort((a, b) => a.time - b.time);
    this.queue = [];
    this.lastTaken = taken[taken.length - 1].time;
    return taken;
  }

  private inRange(time: number): boolean {
    return (this.range.start === undefined || time >= this.range.start) && (this.range.end === undefined || time < this.range.end);
  }
}

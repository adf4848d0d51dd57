import type { Reading } from "../readings/reading.js";

export type FeedListener = (readings: Reading[]) => void;

/** Tells each meter's followers about its readings as soon as the transaction that stored them commits. */
export class ReadingFeed {
  private readonly listenersByMeter = new Map<string, Set<FeedListener>>();

  subscribe(meter: string, listener: FeedListener): () => void {
    let listeners = this.listenersByMeter.get(meter);
    if (listeners === undefined) this.listenersByMeter.set(meter, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listenersByMeter.get(meter) === listeners) this.listenersByMeter.delete(meter);
    };
  }

  publish(meter: string, readings: Reading[]): void {
    if (readings.length === 0) return;
    for (const listener of this.listenersByMeter.get(meter) ?? []) listener(readings);
  }

  /** How many followers are listening; tests use it to prove that leaving cleans up. */
  get listenerCount(): number {
    let count = 0;
    for (const listeners of this.listenersByMeter.values()) count += listeners.size;
    return count;
  }
}

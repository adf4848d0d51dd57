import type { Reading } from "../readings/reading.js";

export type FeedListener = (readings: Reading[]) => void;

/** Tells followers about readings as soon as the transaction that stored them commits. */
export class ReadingFeed {
  private readonly listeners = new Set<FeedListener>();

  subscribe(listener: FeedListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(readings: Reading[]): void {
    if (readings.length === 0) return;
    for (const listener of this.listeners) listener(readings);
  }

  /** How many followers are listening; tests use it to prove that leaving cleans up. */
  get listenerCount(): number {
    return this.listeners.size;
  }
}

import type { NumberedReading, Reading, Summary, TimeRange } from "../readings/reading.js";

/**
 * Where readings live. The service and the HTTP routes only see this interface,
 * so a bigger engine can replace the embedded SQLite store.
 * Every method is async, although SQLite answers synchronously, because a networked
 * engine cannot.
 */
export interface ReadingStore {
  /** How many readings are stored. */
  count(): Promise<number>;

  /**
   * The readings of a range, oldest first, in batches of at most `batchSize`.
   * Never holds more than one batch in memory; stopping the iteration stops the reading.
   */
  readBatches(range: TimeRange, batchSize: number): AsyncIterable<Reading[]>;

  summarize(range: TimeRange): Promise<Summary>;

  /**
   * Stores all readings of `batches` in one transaction: either every reading is stored,
   * or, when the source throws or a time is already taken, none is.
   */
  importReadings(batches: AsyncIterable<NumberedReading[]>): Promise<{ stored: number }>;

  close(): Promise<void>;
}

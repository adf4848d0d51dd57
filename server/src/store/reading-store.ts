import type { Bucket } from "../readings/bucket.js";
import type { Meter } from "../meters/meter.js";
import type { MeterReading, Reading, Summary, TimeRange } from "../readings/reading.js";
import type { ReadingColumns } from "../readings/reading-columns.js";
import type { SpanTallies, TimeSpan } from "../readings/tally.js";
import type { RegisterState } from "./register-state.js";
import type { TariffStore } from "../tariffs/tariff-store.js";

export interface AppendResult {
  /** Readings that were new and are now stored. */
  stored: number;
  /** Readings that were already stored with the same value. */
  alreadyStored: number;
}

export type Extent = Pick<Summary, "count" | "firstTime" | "lastTime">;

/** New readings of one meter, which a write creates when it has none yet. */
export interface MeterReadings {
  meter: string;
  readings: Reading[];
}

/** What a meter's readings mean; a setting left out stays as it is. */
export interface MeterSettings {
  unit?: string;
  /** An IANA time zone, checked by the caller. */
  timeZone?: string;
}

export interface StoreOptions {
  /** The time zone of meters this store creates; UTC when not given. */
  newMeterTimeZone?: string;
}

export interface ImportOptions {
  /** Remove the stored readings of every meter the import holds, in the same transaction. */
  replace?: boolean;
  /** Check everything, then roll back: nothing changes. */
  dryRun?: boolean;
  /**
   * Store nothing when the store already holds readings, decided inside the import's own
   * transaction: service processes starting together on one empty database fill it once.
   */
  onlyIntoEmpty?: boolean;
  /**
   * The settings of meters the import writes, by name, asked for once every reading has been
   * read (a file's units are known only then) and set in the same transaction: no crash can
   * leave the readings stored without their unit and zone.
   */
  meterSettings?: () => Map<string, MeterSettings> | Promise<Map<string, MeterSettings>>;
}

export interface ImportResult {
  /** Readings the file held, stored (or, in a dry run, that would have been). */
  stored: number;
  /** Readings removed by `replace`. */
  removed: number;
  /** Whether `onlyIntoEmpty` found readings already there, so that nothing was read or stored. */
  skipped: boolean;
}

export interface AppendOptions {
  /** Where cumulative registers stand after these readings, saved in the same transaction. */
  registers?: RegisterState[];
  /** The settings of meters the append creates, by name, set in the same transaction. */
  newMeterSettings?: Map<string, MeterSettings>;
  /** Settings of meters the append writes, new or not, by name, set in the same transaction: a file's unit and zone. */
  meterSettings?: Map<string, MeterSettings>;
}

/** The right to be the one process that subscribes to the MQTT broker. */
export interface Lease {
  /** Aborts when the lease is lost (its database connection broke): stop subscribing. */
  lost: AbortSignal;
  release(): Promise<void>;
}

export interface FollowOptions {
  /** Ends the follow; the iteration then finishes without error. */
  signal: AbortSignal;
  /** How many new readings may wait for a slow reader before it is stopped. */
  maxQueued: number;
}

/**
 * Where readings live, by meter. The service and the HTTP routes only see this interface,
 * so a bigger engine can replace the embedded SQLite store.
 * Every method is async, although SQLite answers synchronously, because a networked
 * engine cannot. A read of a meter the store does not have throws UnknownMeterError.
 */
export interface ReadingStore {
  /** Tariffs and their prices, kept in the same database. */
  readonly tariffs: TariffStore;

  /** How many readings are stored, of every meter. */
  count(): Promise<number>;

  /** Every meter, ordered by name, from figures kept current by every write. */
  meters(): Promise<Meter[]>;

  /** One meter with its figures, or undefined when the store has no meter of that name. */
  meter(name: string): Promise<Meter | undefined>;

  /** The meter the store received first, or undefined while it has none. */
  firstMeter(): Promise<string | undefined>;

  /** Sets a meter's unit and time zone. */
  setMeterSettings(meter: string, settings: MeterSettings): Promise<void>;

  /**
   * Each meter's readings added up over each span (sorted, not overlapping), one set of
   * columns a meter in the order given, a span at each index (SpanTallies). A chunk inside a span adds its stored
   * figures; only chunks that a span's edge cuts are decoded.
   */
  tallyColumns(meters: string[], spans: TimeSpan[]): Promise<SpanTallies[]>;

  /**
   * The readings of a range, oldest first, in batches of at most `batchSize`.
   * Never holds more than one batch in memory; stopping the iteration stops the reading.
   */
  readBatches(meter: string, range: TimeRange, batchSize: number): AsyncIterable<Reading[]>;

  /**
   * The same readings as readBatches, in batches of at most `batchSize`, as columns of times
   * and values rather than an object per reading: what the routes write to the wire from.
   */
  readColumns(meter: string, range: TimeRange, batchSize: number): AsyncIterable<ReadingColumns>;

  /**
   * Like readBatches, then every reading stored later inside the range, each exactly once,
   * as soon as its transaction commits, until the signal aborts. A reader that falls more
   * than `maxQueued` new readings behind is stopped with FollowerTooSlowError.
   */
  follow(meter: string, range: TimeRange, batchSize: number, options: FollowOptions): AsyncIterable<Reading[]>;

  summarize(meter: string, range: TimeRange): Promise<Summary>;

  /** How many readings the range holds, and its first and last time: a summary that reads no values. */
  extent(meter: string, range: TimeRange): Promise<Extent>;

  /**
   * Buckets of `width` milliseconds from range.start, each summarizing its readings; spans
   * with no readings have no bucket, and the last bucket ends at range.end.
   */
  bucketize(meter: string, range: Required<TimeRange>, width: number): Promise<Bucket[]>;

  /**
   * Stores all readings of `batches`, of any meters, in one transaction: either every reading
   * is stored, or, when the source throws or a meter's time is already taken, none is.
   */
  importReadings(batches: AsyncIterable<MeterReading[]>, options?: ImportOptions): Promise<ImportResult>;

  /**
   * Stores new readings of one or more meters in one transaction, durably, and tells
   * followers once it commits. A reading already stored with the same value is counted, not
   * stored again; one with another value throws ReadingConflictError and nothing is stored.
   */
  appendReadings(batches: MeterReadings[], options?: AppendOptions): Promise<AppendResult>;

  /** Where every cumulative register stands, as the last append that saved it left it. */
  registers(): Promise<RegisterState[]>;

  /**
   * Waits until this process is the only one of those sharing the store that may subscribe to
   * the MQTT broker; undefined when the signal aborts first. An SQLite store has one process.
   */
  subscriberLease(signal: AbortSignal): Promise<Lease | undefined>;

  close(): Promise<void>;
}

import type { Bucket } from "../../readings/bucket.js";
import type { Meter } from "../../meters/meter.js";
import type { MeterReading, Reading, Summary, TimeRange } from "../../readings/reading.js";
import type { ReadingColumns } from "../../readings/reading-columns.js";
import type { SpanTallies, TimeSpan } from "../../readings/tally.js";
import { NotificationsLostError } from "../postgres/notifications-lost-error.js";
import type { RegisterState } from "../register-state.js";
import type {
  AppendOptions,
  AppendResult,
  Extent,
  FollowOptions,
  ImportOptions,
  ImportResult,
  Lease,
  MeterReadings,
  MeterSettings,
  ReadingStore,
} from "../reading-store.js";
import type { StoreAvailability } from "./store-availability.js";
import { StoreUnavailableError } from "./store-unavailable-error.js";
import { WatchedTariffs } from "./watched-tariffs.js";

/**
 * A store whose every call reports its failures to `availability`: one that says the store is
 * unavailable turns it unavailable before the caller hears of it, as a StoreUnavailableError,
 * so health says NOT_SERVING by the time a client gets its 503. Every other error, and every
 * answer, passes through as the store gave it.
 */
export class WatchedStore implements ReadingStore {
  readonly tariffs: WatchedTariffs;

  constructor(
    private readonly store: ReadingStore,
    private readonly availability: StoreAvailability,
  ) {
    this.tariffs = new WatchedTariffs(store.tariffs, (answer) => this.watched(answer));
  }

  count(): Promise<number> {
    return this.watched(this.store.count());
  }

  meters(): Promise<Meter[]> {
    return this.watched(this.store.meters());
  }

  meter(name: string): Promise<Meter | undefined> {
    return this.watched(this.store.meter(name));
  }

  firstMeter(): Promise<string | undefined> {
    return this.watched(this.store.firstMeter());
  }

  setMeterSettings(meter: string, settings: MeterSettings): Promise<void> {
    return this.watched(this.store.setMeterSettings(meter, settings));
  }

  tallyColumns(meters: string[], spans: TimeSpan[]): Promise<SpanTallies[]> {
    return this.watched(this.store.tallyColumns(meters, spans));
  }

  readBatches(meter: string, range: TimeRange, batchSize: number): AsyncIterable<Reading[]> {
    return this.watchedBatches(() => this.store.readBatches(meter, range, batchSize));
  }

  readColumns(meter: string, range: TimeRange, batchSize: number): AsyncIterable<ReadingColumns> {
    return this.watchedBatches(() => this.store.readColumns(meter, range, batchSize));
  }

  follow(meter: string, range: TimeRange, batchSize: number, options: FollowOptions): AsyncIterable<Reading[]> {
    return this.watchedBatches(() => this.store.follow(meter, range, batchSize, options));
  }

  summarize(meter: string, range: TimeRange): Promise<Summary> {
    return this.watched(this.store.summarize(meter, range));
  }

  extent(meter: string, range: TimeRange): Promise<Extent> {
    return this.watched(this.store.extent(meter, range));
  }

  bucketize(meter: string, range: Required<TimeRange>, width: number): Promise<Bucket[]> {
    return this.watched(this.store.bucketize(meter, range, width));
  }

  importReadings(batches: AsyncIterable<MeterReading[]>, options?: ImportOptions): Promise<ImportResult> {
    return this.watched(this.store.importReadings(batches, options));
  }

  appendReadings(batches: MeterReadings[], options?: AppendOptions): Promise<AppendResult> {
    return this.watched(this.store.appendReadings(batches, options));
  }

  registers(): Promise<RegisterState[]> {
    return this.watched(this.store.registers());
  }

  subscriberLease(signal: AbortSignal): Promise<Lease | undefined> {
    return this.watched(this.store.subscriberLease(signal));
  }

  close(): Promise<void> {
    this.availability.stop();
    return this.store.close();
  }

  private async watched<T>(answer: Promise<T>): Promise<T> {
    try {
      return await answer;
    } catch (error) {
      throw this.said(error);
    }
  }

  private async *watchedBatches<T>(batches: () => AsyncIterable<T>): AsyncGenerator<T> {
    try {
      yield* batches();
    } catch (error) {
      throw this.said(error);
    }
  }

  /** The error as the caller should see it. */
  private said(error: unknown): unknown {
    if (!this.availability.report(error)) return error;
    // A lost follow already says Unavailable, and that the client should follow again from where it was.
    return error instanceof NotificationsLostError ? error : new StoreUnavailableError(error);
  }
}

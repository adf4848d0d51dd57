import Database from "better-sqlite3";
import type { Meter } from "../../meters/meter.js";
import { UnknownMeterError } from "../../meters/unknown-meter-error.js";
import type { Bucket } from "../../readings/bucket.js";
import type { MeterReading, Reading, Summary, TimeRange } from "../../readings/reading.js";
import { readingsOf, type ReadingColumns } from "../../readings/reading-columns.js";
import type { SpanTallies, TimeSpan } from "../../readings/tally.js";
import { emptySpanFigures, tallyChunks, type SpanFigures } from "../chunks/chunk-tally.js";
import { MeterChunkWriter, sealedChunkReadings } from "../chunks/chunk-writer.js";
import { bucketsOf, bucketSpans, earliest, extentOf, latest, summaryOf, wholeRange } from "../chunks/span-answers.js";
import { decodeStoredChunk } from "../chunks/stored-chunk.js";
import { ColumnBatcher, pageColumns } from "../chunks/range-columns.js";
import { duplicateTimeIn } from "../duplicate-time-error.js";
import { groupByMeter } from "../group-by-meter.js";
import { LiveTail } from "../live-tail.js";
import { MeterFigures } from "../meter-figures.js";
import { ReadingConflictError } from "../reading-conflict-error.js";
import { ReadingFeed } from "../reading-feed.js";
import type { RegisterState } from "../register-state.js";
import { SqliteChunks } from "./sqlite-chunks.js";
import { tallyMeters } from "./sqlite-tally.js";
import { TallyThread } from "./tally-thread.js";
import { createRegisterTable, SqliteRegisters } from "./sqlite-registers.js";
import { compactAfterRewrite, upgradeSchema } from "./sqlite-schema.js";
import { createTariffTables, SqliteTariffs } from "./sqlite-tariffs.js";
import { StoreOpenError } from "../store-open-error.js";
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
  StoreOptions,
} from "../reading-store.js";

// An import looks for a duplicate's first line among the rows of the same stretch of this
// many of a meter's rows, as the row-per-reading store did with its multi-row INSERTs, so its
// messages stay what they were.
const rowsPerInsert = 256;

/**
 * Chunks a page of a range read takes at least: a statement costs about 30 µs whatever it
 * reads, as much as decoding two chunks, and 16 chunks are about 11,500 readings, 180 KB of
 * columns.
 */
const chunksPerPage = 16;
/**
 * Span tallies (meters times spans) from which a tally shares some of its meters with the
 * tally thread: a share costs a message each way and a copy of its tallies. A thousand meters' month
 * by day is 31,000; one meter's year by day is not shared.
 */
const tallyWorthSharing = 4_096;
/**
 * The part of such a tally's meters the thread adds up: its share also pays for the message
 * and the copy of its tallies, and with half of a priced month's batch the store's thread
 * waited 8-10 ms of each 30 for it; with 45% about 3.
 */
const tallyThreadShare = 0.45;

/** Chunks enough for a batch even when the first starts before the range. */
function chunksForBatch(batchSize: number): number {
  return Math.ceil(batchSize / sealedChunkReadings) + 1;
}

type MeterRow = [name: string, count: number, firstTime: number | null, lastTime: number | null, unit: string, timeZone: string];

/** A meter an import writes: its id, its chunk writer, and whether it held nothing before. */
interface ImportedMeter {
  name: string;
  id: number;
  writer: MeterChunkWriter;
  wasEmpty: boolean;
}

export class SqliteStore implements ReadingStore {
  /** Followers in this process; SQLite has no way to tell other processes. */
  readonly feed = new ReadingFeed();
  readonly tariffs: SqliteTariffs;
  private readonly db: Database.Database;
  /** Meter ids never change once given, so a name found once needs no second lookup. */
  private readonly meterIds = new Map<string, number>();
  private readonly statements;
  private readonly chunks: SqliteChunks;
  /** Undefined for a database in memory, which no other connection can open. */
  private readonly tallyThread: TallyThread | undefined;
  private readonly savedRegisters: SqliteRegisters;
  private readonly newMeterTimeZone: string;
  /**
   * The meters as last listed, and the data_version they were read at: a fleet's thousand
   * rows took longer to read than the rest of ListMeters. data_version changes when another
   * connection commits; this one's writes drop the list.
   */
  private listed: { version: number; meters: Meter[] } | undefined;

  constructor(path: string, options: StoreOptions = {}) {
    this.db = openDatabase(path);
    this.newMeterTimeZone = options.newMeterTimeZone ?? "UTC";
    const db = this.db;
    this.chunks = new SqliteChunks(db);
    this.tallyThread = path === ":memory:" || path === "" ? undefined : new TallyThread(path);
    this.savedRegisters = new SqliteRegisters(db);
    this.tariffs = new SqliteTariffs(db);
    this.statements = {
      count: db.prepare<[], number>("SELECT total(count) FROM meters").pluck(),
      meters: db.prepare<[], MeterRow>("SELECT name, count, first_time, last_time, unit, time_zone FROM meters ORDER BY name").raw(),
      meter: db.prepare<[string], MeterRow>("SELECT name, count, first_time, last_time, unit, time_zone FROM meters WHERE name = ?").raw(),
      firstMeter: db.prepare<[], string>("SELECT name FROM meters ORDER BY id LIMIT 1").pluck(),
      meterId: db.prepare<[string], number>("SELECT id FROM meters WHERE name = ?").pluck(),
      meterCount: db.prepare<[number], number>("SELECT count FROM meters WHERE id = ?").pluck(),
      createMeter: db.prepare<[string, string]>("INSERT INTO meters (name, time_zone) VALUES (?, ?)"),
      setMeterSettings: db.prepare<[string | null, string | null, string]>(
        "UPDATE meters SET unit = coalesce(?, unit), time_zone = coalesce(?, time_zone) WHERE name = ?",
      ),
      addFigures: db.prepare<{ id: number; count: number; first: number; last: number }>(
        `UPDATE meters SET count = count + @count,
           first_time = CASE WHEN first_time IS NULL OR @first < first_time THEN @first ELSE first_time END,
           last_time = CASE WHEN last_time IS NULL OR @last > last_time THEN @last ELSE last_time END
         WHERE id = @id`,
      ),
      clearMeter: db.prepare<[number]>("UPDATE meters SET count = 0, first_time = NULL, last_time = NULL WHERE id = ?"),
      dataVersion: db.prepare<[], number>("PRAGMA data_version").pluck(),
    };
  }

  async count(): Promise<number> {
    return this.statements.count.get() ?? 0;
  }

  /** A new list each call, of meters callers do not change. */
  async meters(): Promise<Meter[]> {
    // Nothing read inside a transaction, which may yet roll back, is kept.
    if (this.db.inTransaction) return this.statements.meters.all().map(meterOf);
    const version = this.statements.dataVersion.get()!;
    if (this.listed?.version !== version) this.listed = { version, meters: this.statements.meters.all().map(meterOf) };
    return [...this.listed.meters];
  }

  async meter(name: string): Promise<Meter | undefined> {
    const row = this.statements.meter.get(name);
    return row === undefined ? undefined : meterOf(row);
  }

  async firstMeter(): Promise<string | undefined> {
    return this.statements.firstMeter.get();
  }

  async setMeterSettings(meter: string, settings: MeterSettings): Promise<void> {
    this.listed = undefined;
    const { changes } = this.statements.setMeterSettings.run(settings.unit ?? null, settings.timeZone ?? null, meter);
    if (changes === 0) throw new UnknownMeterError(meter);
  }

  async tallyColumns(meters: string[], spans: TimeSpan[]): Promise<SpanTallies[]> {
    const ids = meters.map((meter) => this.requireId(meter));
    if (spans.length <= 1 || ids.length <= 1) return ids.map((id, index) => this.spanFigures(meters[index], id, spans));
    const kept = ids.length - Math.round(ids.length * tallyThreadShare);
    // Inside an import's transaction this connection reads what the import has written so far,
    // which the thread's connection cannot see: such a tally is not shared.
    const worthSharing = ids.length * spans.length >= tallyWorthSharing && !this.db.inTransaction;
    const shared = worthSharing ? this.tallyThread?.share(ids.slice(kept), meters.slice(kept), spans) : undefined;
    if (shared === undefined) return tallyMeters(this.chunks, ids, meters, spans);
    const own = tallyMeters(this.chunks, ids.slice(0, kept), meters.slice(0, kept), spans);
    return own.concat((await shared) ?? tallyMeters(this.chunks, ids.slice(kept), meters.slice(kept), spans));
  }

  async *readBatches(meter: string, range: TimeRange, batchSize: number): AsyncIterable<Reading[]> {
    for await (const columns of this.readColumns(meter, range, batchSize)) yield readingsOf(columns);
  }

  async *readColumns(meter: string, range: TimeRange, batchSize: number): AsyncIterable<ReadingColumns> {
    const id = this.requireId(meter);
    for (const { columns } of this.batches(meter, id, range, batchSize, Math.max(chunksPerPage, chunksForBatch(batchSize)))) {
      if (columns.times.length > 0) yield columns;
    }
  }

  async *follow(meter: string, range: TimeRange, batchSize: number, options: FollowOptions): AsyncIterable<Reading[]> {
    const id = this.requireId(meter);
    const tail = new LiveTail(range, options.maxQueued);
    const unsubscribe = this.feed.subscribe(meter, (readings) => tail.offer(readings));
    // A reader that stops pulling without ending the iteration must not stay subscribed.
    options.signal.addEventListener("abort", unsubscribe, { once: true });
    try {
      // Pages of about a batch, as a follower takes them: what is stored meanwhile ahead of the
      // pages read comes by the page, in time order.
      for (const { columns, passedUntil } of this.batches(meter, id, range, batchSize, chunksForBatch(batchSize))) {
        // Chunks are read and readings published on this one thread, so at this point every
        // reading up to the end of the chunks read is either read or will be offered to the tail.
        tail.passedUntil = passedUntil;
        if (columns.times.length > 0) yield readingsOf(columns);
        if (options.signal.aborted) return;
      }
      for (;;) {
        const readings = await tail.take(options.signal);
        if (readings === undefined) return;
        yield readings;
      }
    } finally {
      unsubscribe();
      options.signal.removeEventListener("abort", unsubscribe);
    }
  }

  /**
   * The range's readings in batches of `batchSize` (the last may be shorter or empty), read
   * `chunksAtOnce` chunks at a time by keyset rather than through one open iterator: an open
   * better-sqlite3 iterator keeps the connection busy and would block every write until the
   * reader finishes. `passedUntil` is the time up to which the chunks read so far hold every
   * stored reading: Infinity with the last batch.
   */
  private *batches(meter: string, id: number, range: TimeRange, batchSize: number, chunksAtOnce: number): Generator<{ columns: ReadingColumns; passedUntil: number }> {
    const end = range.end ?? latest;
    const batcher = new ColumnBatcher(batchSize);
    let from = range.start ?? earliest;
    for (;;) {
      const page = this.chunks.page(id, from, end, chunksAtOnce);
      const isLast = page.length < chunksAtOnce;
      const [, lastStart, lastSpan] = page[page.length - 1] ?? [];
      const passedUntil = isLast ? Infinity : lastStart! + lastSpan!;
      const chunks = page.map(([key, start, , bytes]) => ({ key, start, bytes }));
      for (const columns of batcher.add(pageColumns(chunks, meter, { start: from, end }, batcher.leftover()))) yield { columns, passedUntil };
      if (isLast) {
        yield { columns: batcher.rest(), passedUntil };
        return;
      }
      from = passedUntil + 1;
    }
  }

  async summarize(meter: string, range: TimeRange): Promise<Summary> {
    return summaryOf(this.spanFigures(meter, this.requireId(meter), [wholeRange(range)]));
  }

  async extent(meter: string, range: TimeRange): Promise<Extent> {
    return extentOf(this.spanFigures(meter, this.requireId(meter), [wholeRange(range)]));
  }

  async bucketize(meter: string, range: Required<TimeRange>, width: number): Promise<Bucket[]> {
    const spans = bucketSpans(range, width);
    return bucketsOf(spans, this.spanFigures(meter, this.requireId(meter), spans));
  }

  /** One meter's readings added up over each span, from the chunks' figures and the chunks the spans' edges cut. */
  private spanFigures(meter: string, id: number, spans: TimeSpan[]): SpanFigures {
    if (spans.length === 0) return emptySpanFigures(0);
    const [from, end] = [spans[0].start, spans[spans.length - 1].end];
    // Many spans (days, hours) cut most chunks, whose bytes then come with the listing; one span cuts at most two.
    if (spans.length > 1) return tallyChunks(this.chunks.listedWithBytes(id, from, end), spans, meter, (chunk) => chunk.bytes);
    return tallyChunks(this.chunks.listed(id, from, end), spans, meter, (chunk) => this.chunks.bytes(chunk.key));
  }

  async importReadings(batches: AsyncIterable<MeterReading[]>, options: ImportOptions = {}): Promise<ImportResult> {
    let stored = 0;
    let removed = 0;
    const figures = new MeterFigures();
    this.listed = undefined;
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const wasEmpty = (await this.count()) === 0;
      if (options.onlyIntoEmpty && !wasEmpty) {
        this.db.exec("ROLLBACK");
        return { stored: 0, removed: 0, skipped: true };
      }
      const meters = new Map<string, ImportedMeter>();
      const meterFor = (name: string) => {
        let meter = meters.get(name);
        if (meter !== undefined) return meter;
        const { id, created } = this.createdId(name);
        if (options.replace) removed += this.clearMeter(id);
        meter = { name, id, writer: new MeterChunkWriter(name), wasEmpty: created || options.replace === true };
        meters.set(name, meter);
        return meter;
      };
      for await (const batch of batches) {
        for (const [name, rows] of groupByMeter(batch)) {
          const meter = meterFor(name);
          for (let from = 0; from < rows.length; from += rowsPerInsert) this.importRows(meter, rows, from, Math.min(rows.length, from + rowsPerInsert));
          figures.add(meter.id, rows);
        }
        stored += batch.length;
      }
      for (const { id, writer } of meters.values()) this.chunks.write(id, writer.flush());
      for (const change of figures.take()) this.statements.addFigures.run(change);
      for (const [meter, settings] of (await options.meterSettings?.()) ?? []) {
        if (meters.has(meter)) this.statements.setMeterSettings.run(settings.unit ?? null, settings.timeZone ?? null, meter);
      }
      this.db.exec(options.dryRun ? "ROLLBACK" : "COMMIT");
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
    return { stored, removed, skipped: false };
  }

  /** Adds rows[from, to) of one meter to its chunks; a time already taken is a DuplicateTimeError naming its line. */
  private importRows({ name, id, writer, wasEmpty }: ImportedMeter, rows: MeterReading[], from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const { time, value } = rows[i];
      if (!writer.covers(time)) {
        this.chunks.write(id, writer.flush());
        writer.open(this.chunks.owner(id, time), time);
      }
      if (!writer.add(time, value)) throw duplicateTimeIn(name, rows, from, i, wasEmpty);
      if (writer.isFullTail) this.chunks.write(id, writer.flush());
    }
  }

  async appendReadings(batches: MeterReadings[], options: AppendOptions = {}): Promise<AppendResult> {
    const freshByMeter: MeterReadings[] = [];
    let received = 0;
    this.listed = undefined;
    this.db.transaction(() => {
      const figures = new MeterFigures();
      for (const { meter, readings } of batches) {
        const { id, created } = this.createdId(meter);
        const settings = options.meterSettings?.get(meter) ?? (created ? options.newMeterSettings?.get(meter) : undefined);
        if (settings) this.statements.setMeterSettings.run(settings.unit ?? null, settings.timeZone ?? null, meter);
        const writer = new MeterChunkWriter(meter);
        const fresh: Reading[] = [];
        // In time order, each chunk is opened, changed and written once.
        for (const reading of [...readings].sort((a, b) => a.time - b.time)) {
          if (!writer.covers(reading.time)) {
            this.chunks.write(id, writer.flush());
            writer.open(this.chunks.owner(id, reading.time), reading.time);
          }
          if (writer.add(reading.time, reading.value)) {
            fresh.push(reading);
            continue;
          }
          const stored = writer.storedValue(reading.time);
          if (stored !== reading.value) throw new ReadingConflictError(meter, reading.time, stored, reading.value);
        }
        this.chunks.write(id, writer.flush());
        figures.add(id, fresh);
        freshByMeter.push({ meter, readings: fresh });
        received += readings.length;
      }
      for (const change of figures.take()) this.statements.addFigures.run(change);
      this.savedRegisters.save(options.registers ?? []);
    })();
    for (const { meter, readings } of freshByMeter) this.feed.publish(meter, readings);
    const stored = freshByMeter.reduce((sum, { readings }) => sum + readings.length, 0);
    return { stored, alreadyStored: received - stored };
  }

  async registers(): Promise<RegisterState[]> {
    return this.savedRegisters.all();
  }

  async subscriberLease(signal: AbortSignal): Promise<Lease | undefined> {
    return signal.aborted ? undefined : { lost: new AbortController().signal, release: async () => {} };
  }

  async close(): Promise<void> {
    await this.tallyThread?.close();
    this.db.close();
  }

  private requireId(meter: string): number {
    let id = this.meterIds.get(meter);
    if (id === undefined) {
      id = this.statements.meterId.get(meter);
      if (id === undefined) throw new UnknownMeterError(meter);
      this.meterIds.set(meter, id);
    }
    return id;
  }

  /** The meter's id, creating the meter inside the caller's transaction when it is new. */
  private createdId(meter: string): { id: number; created: boolean } {
    const known = this.meterIds.get(meter) ?? this.statements.meterId.get(meter);
    if (known !== undefined) return { id: known, created: false };
    // Not cached: should the transaction roll back, the meter does not exist.
    return { id: Number(this.statements.createMeter.run(meter, this.newMeterTimeZone).lastInsertRowid), created: true };
  }

  /** Removes a meter's readings for `replace`, answering how many there were. */
  private clearMeter(id: number): number {
    const removed = this.statements.meterCount.get(id) ?? 0;
    this.chunks.removeMeter(id);
    this.statements.clearMeter.run(id);
    return removed;
  }
}

function meterOf([name, count, firstTime, lastTime, unit, timeZone]: MeterRow): Meter {
  return { name, count, firstTime: firstTime ?? undefined, lastTime: lastTime ?? undefined, unit, timeZone };
}

/**
 * Opens the file and proves it usable now: WAL mode and the schema both write, so a file
 * that is not SQLite, or that cannot be written, fails here with a clear reason. Commits
 * are synced to disk before they return (synchronous=FULL): a write the service has
 * acknowledged survives a power loss, which WAL's default NORMAL does not promise.
 */
function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    // Takes effect only in a new file; see pageSize.
    db.pragma(`page_size = ${pageSize}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
    if (upgradeSchema(db).rewritten) compactAfterRewrite(db, pageSize);
    createRegisterTable(db);
    createTariffTables(db);
    return db;
  } catch (error) {
    db?.close();
    throw new StoreOpenError(path, openFailureReason(error));
  }
}

/**
 * Pages of 16 KiB for a new store: a chunk row is about a kilobyte, and 4 KiB pages held only
 * three or four of them, leaving 18% of the file unused; 16 KiB pages waste about 3%, at the
 * price of writing 16 KiB a changed page to the log. A store rewritten from an older schema
 * moves to them when it can (compactAfterRewrite).
 */
const pageSize = 16_384;

function openFailureReason(error: unknown): string {
  const code = error instanceof Database.SqliteError ? error.code : undefined;
  if (code === "SQLITE_NOTADB") return "the file is not an SQLite database";
  if (code?.startsWith("SQLITE_READONLY") || code === "SQLITE_CANTOPEN") {
    return "the file or its folder cannot be written (SQLite needs to write the file and its -wal and -shm files beside it)";
  }
  return error instanceof Error ? error.message : String(error);
}


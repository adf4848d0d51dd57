import Database from "better-sqlite3";
import type { Meter } from "../../meters/meter.js";
import { UnknownMeterError } from "../../meters/unknown-meter-error.js";
import type { Bucket } from "../../readings/bucket.js";
import type { MeterReading, Reading, Summary, TimeRange } from "../../readings/reading.js";
import type { Tally, TimeSpan } from "../../readings/tally.js";
import { DuplicateTimeError } from "../duplicate-time-error.js";
import { groupByMeter } from "../group-by-meter.js";
import { usageLevels, usageTotalsOfEveryLevel, type UsageLevel, type UsageTotal, type UsageTotals } from "../usage-totals.js";
import { LiveTail } from "../live-tail.js";
import { MeterFigures } from "../meter-figures.js";
import { ReadingConflictError } from "../reading-conflict-error.js";
import { ReadingFeed } from "../reading-feed.js";
import type { RegisterState } from "../register-state.js";
import { upgradeSchema } from "./sqlite-schema.js";
import { createRegisterTable, SqliteRegisters } from "./sqlite-registers.js";
import { SqliteTally } from "./sqlite-tally.js";
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

// Bounds that stand for "unbounded" in range queries; every stored time lies between them.
const earliest = Number.MIN_SAFE_INTEGER;
const latest = Number.MAX_SAFE_INTEGER;

// Rows per INSERT statement: multi-row statements cross from JS into SQLite far less often.
const rowsPerInsert = 256;
const totalsPerUpsert = 128;
// Meter-hours an import adds up in memory before merging them into the store: about 20 MB.
const totalsHeld = 100_000;

type RawRow = [time: number, value: number | null];
type MeterRow = [name: string, count: number, firstTime: number | null, lastTime: number | null, unit: string, timeZone: string];
type BucketRow = [total: number, count: number, min: number | null, max: number | null, mean: number | null];
type ExtentRow = [count: number, firstTime: number | null, lastTime: number | null];
type SummaryRow = [
  count: number,
  valueCount: number,
  firstTime: number | null,
  lastTime: number | null,
  min: number | null,
  max: number | null,
  mean: number | null,
  sum: number,
];

export class SqliteStore implements ReadingStore {
  /** Followers in this process; SQLite has no way to tell other processes. */
  readonly feed = new ReadingFeed();
  private readonly db: Database.Database;
  /** Meter ids never change once given, so a name found once needs no second lookup. */
  private readonly meterIds = new Map<string, number>();
  private readonly statements;
  private readonly tallies: SqliteTally;
  private readonly savedRegisters: SqliteRegisters;
  private readonly insertStatements = new Map<number, Database.Statement<(number | null)[]>>();
  private readonly upsertTotalStatements = new Map<string, Database.Statement<(number | null)[]>>();
  private readonly newMeterTimeZone: string;

  constructor(path: string, options: StoreOptions = {}) {
    this.db = openDatabase(path);
    this.newMeterTimeZone = options.newMeterTimeZone ?? "UTC";
    const db = this.db;
    this.tallies = new SqliteTally(db);
    this.savedRegisters = new SqliteRegisters(db);
    this.statements = {
      count: db.prepare<[], number>("SELECT total(count) FROM meters").pluck(),
      meters: db.prepare<[], MeterRow>("SELECT name, count, first_time, last_time, unit, time_zone FROM meters ORDER BY name").raw(),
      meter: db.prepare<[string], MeterRow>("SELECT name, count, first_time, last_time, unit, time_zone FROM meters WHERE name = ?").raw(),
      firstMeter: db.prepare<[], string>("SELECT name FROM meters ORDER BY id LIMIT 1").pluck(),
      meterId: db.prepare<[string], number>("SELECT id FROM meters WHERE name = ?").pluck(),
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
      deleteReadings: db.prepare<[number]>("DELETE FROM readings WHERE meter = ?"),
      deleteTotals: usageLevels.map(({ table }) => db.prepare<[number]>(`DELETE FROM ${table} WHERE meter = ?`)),
      page: db
        .prepare<[number, number, number, number], RawRow>(
          "SELECT time, value FROM readings WHERE meter = ? AND time >= ? AND time < ? ORDER BY time LIMIT ?",
        )
        .raw(),
      summary: db
        .prepare<[number, number, number], SummaryRow>(
          `SELECT count(*), count(value), min(time), max(time), min(value), max(value), avg(value), total(value)
           FROM readings WHERE meter = ? AND time >= ? AND time < ?`,
        )
        .raw(),
      exists: db.prepare<[number, number], number>("SELECT 1 FROM readings WHERE meter = ? AND time = ?").pluck(),
      extent: db
        .prepare<[number, number, number], ExtentRow>(
          "SELECT count(*), min(time), max(time) FROM readings WHERE meter = ? AND time >= ? AND time < ?",
        )
        .raw(),
      bucket: db
        .prepare<[number, number, number], BucketRow>(
          "SELECT count(*), count(value), min(value), max(value), avg(value) FROM readings WHERE meter = ? AND time >= ? AND time < ?",
        )
        .raw(),
      value: db.prepare<[number, number], { value: number | null }>("SELECT value FROM readings WHERE meter = ? AND time = ?"),
      insertNew: db.prepare<[number, number, number | null]>(
        "INSERT INTO readings (meter, time, value) VALUES (?, ?, ?) ON CONFLICT (meter, time) DO NOTHING",
      ),
    };
  }

  async count(): Promise<number> {
    return this.statements.count.get() ?? 0;
  }

  async meters(): Promise<Meter[]> {
    return this.statements.meters.all().map(meterOf);
  }

  async meter(name: string): Promise<Meter | undefined> {
    const row = this.statements.meter.get(name);
    return row === undefined ? undefined : meterOf(row);
  }

  async firstMeter(): Promise<string | undefined> {
    return this.statements.firstMeter.get();
  }

  async setMeterSettings(meter: string, settings: MeterSettings): Promise<void> {
    const { changes } = this.statements.setMeterSettings.run(settings.unit ?? null, settings.timeZone ?? null, meter);
    if (changes === 0) throw new UnknownMeterError(meter);
  }

  async tally(meters: string[], spans: TimeSpan[]): Promise<Tally[][]> {
    return this.tallies.tally(meters.map((meter) => this.requireId(meter)), spans);
  }

  async *readBatches(meter: string, range: TimeRange, batchSize: number): AsyncIterable<Reading[]> {
    const id = this.requireId(meter);
    for (const { readings } of this.pages(id, range, batchSize)) {
      if (readings.length > 0) yield readings;
    }
  }

  async *follow(meter: string, range: TimeRange, batchSize: number, options: FollowOptions): AsyncIterable<Reading[]> {
    const id = this.requireId(meter);
    const tail = new LiveTail(range, options.maxQueued);
    const unsubscribe = this.feed.subscribe(meter, (readings) => tail.offer(readings));
    // A reader that stops pulling without ending the iteration must not stay subscribed.
    options.signal.addEventListener("abort", unsubscribe, { once: true });
    try {
      for (const { readings, isLast } of this.pages(id, range, batchSize)) {
        // Pages are read and readings published on this one thread, so at this point every
        // reading up to the page's end is either in a page or will be offered to the tail.
        tail.passedUntil = isLast ? Infinity : readings[readings.length - 1].time;
        if (readings.length > 0) yield readings;
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
   * Reads in keyset pages rather than through one open iterator: an open better-sqlite3
   * iterator keeps the connection busy and would block every write until the reader finishes.
   */
  private *pages(meter: number, range: TimeRange, batchSize: number): Generator<{ readings: Reading[]; isLast: boolean }> {
    const end = range.end ?? latest;
    let from = range.start ?? earliest;
    for (;;) {
      const rows = this.statements.page.all(meter, from, end, batchSize);
      const isLast = rows.length < batchSize;
      yield { readings: rows.map(([time, value]) => ({ time, value })), isLast };
      if (isLast) return;
      from = rows[rows.length - 1][0] + 1;
    }
  }

  async summarize(meter: string, range: TimeRange): Promise<Summary> {
    const [count, valueCount, firstTime, lastTime, min, max, mean, sum] = this.statements.summary.get(
      this.requireId(meter),
      range.start ?? earliest,
      range.end ?? latest,
    )!;
    return {
      count,
      missingCount: count - valueCount,
      firstTime: firstTime ?? undefined,
      lastTime: lastTime ?? undefined,
      min: min ?? undefined,
      max: max ?? undefined,
      mean: mean ?? undefined,
      sum,
    };
  }

  async extent(meter: string, range: TimeRange): Promise<Extent> {
    const [count, firstTime, lastTime] = this.statements.extent.get(this.requireId(meter), range.start ?? earliest, range.end ?? latest)!;
    return { count, firstTime: firstTime ?? undefined, lastTime: lastTime ?? undefined };
  }

  /**
   * One aggregate per bucket, each over its own stretch of the primary key: a single GROUP BY
   * on the bucket number sorts every row of the range first, which took three times as long.
   */
  async bucketize(meter: string, range: Required<TimeRange>, width: number): Promise<Bucket[]> {
    const id = this.requireId(meter);
    const buckets: Bucket[] = [];
    for (let start = range.start; start < range.end; start += width) {
      const end = Math.min(start + width, range.end);
      const [total, count, min, max, mean] = this.statements.bucket.get(id, start, end)!;
      if (total === 0) continue;
      buckets.push({ start, end, count, missingCount: total - count, min: min ?? undefined, max: max ?? undefined, mean: mean ?? undefined });
    }
    return buckets;
  }

  async importReadings(batches: AsyncIterable<MeterReading[]>, options: ImportOptions = {}): Promise<ImportResult> {
    let stored = 0;
    let removed = 0;
    const figures = new MeterFigures();
    const totals = usageTotalsOfEveryLevel();
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const wasEmpty = (await this.count()) === 0;
      if (options.onlyIntoEmpty && !wasEmpty) {
        this.db.exec("ROLLBACK");
        return { stored: 0, removed: 0, skipped: true };
      }
      // Per meter: its id, and whether it held nothing before, so every taken time came from the file.
      const meters = new Map<string, { id: number; wasEmpty: boolean }>();
      const meterFor = (name: string) => {
        let meter = meters.get(name);
        if (meter !== undefined) return meter;
        const { id, created } = this.createdId(name);
        if (options.replace) removed += this.clearMeter(id);
        meter = { id, wasEmpty: created || options.replace === true };
        meters.set(name, meter);
        return meter;
      };
      for await (const batch of batches) {
        for (const [name, rows] of groupByMeter(batch)) {
          const { id, wasEmpty: meterWasEmpty } = meterFor(name);
          for (let i = 0; i < rows.length; i += rowsPerInsert) {
            this.insert(name, id, rows.slice(i, i + rowsPerInsert), meterWasEmpty);
          }
          figures.add(id, rows);
          for (const level of totals) level.add(id, rows);
        }
        stored += batch.length;
        if (totals.some((level) => level.size > totalsHeld)) this.mergeTotals(totals);
      }
      this.mergeTotals(totals);
      for (const change of figures.take()) this.statements.addFigures.run(change);
      this.db.exec(options.dryRun ? "ROLLBACK" : "COMMIT");
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
    return { stored, removed, skipped: false };
  }

  async appendReadings(batches: MeterReadings[], options: AppendOptions = {}): Promise<AppendResult> {
    const freshByMeter: MeterReadings[] = [];
    let received = 0;
    this.db.transaction(() => {
      const figures = new MeterFigures();
      const totals = usageTotalsOfEveryLevel();
      for (const { meter, readings } of batches) {
        const { id, created } = this.createdId(meter);
        const settings = created ? options.newMeterSettings?.get(meter) : undefined;
        if (settings) this.statements.setMeterSettings.run(settings.unit ?? null, settings.timeZone ?? null, meter);
        const fresh: Reading[] = [];
        for (const reading of readings) {
          if (this.statements.insertNew.run(id, reading.time, reading.value).changes === 1) {
            fresh.push(reading);
            continue;
          }
          const stored = this.statements.value.get(id, reading.time)!.value;
          if (stored !== reading.value) throw new ReadingConflictError(meter, reading.time, stored, reading.value);
        }
        figures.add(id, fresh);
        for (const level of totals) level.add(id, fresh);
        freshByMeter.push({ meter, readings: fresh });
        received += readings.length;
      }
      this.mergeTotals(totals);
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
    const removed = this.statements.deleteReadings.run(id).changes;
    for (const deleteTotals of this.statements.deleteTotals) deleteTotals.run(id);
    this.statements.clearMeter.run(id);
    return removed;
  }

  private insert(meter: string, id: number, rows: MeterReading[], meterWasEmpty: boolean): void {
    const parameters: (number | null)[] = new Array(rows.length * 3);
    for (let i = 0; i < rows.length; i++) {
      parameters[3 * i] = id;
      parameters[3 * i + 1] = rows[i].time;
      parameters[3 * i + 2] = rows[i].value;
    }
    try {
      this.insertStatement(rows.length).run(...parameters);
    } catch (error) {
      if (isPrimaryKeyViolation(error)) throw this.findDuplicate(meter, id, rows, meterWasEmpty);
      throw error;
    }
  }

  private insertStatement(rowCount: number): Database.Statement<(number | null)[]> {
    let statement = this.insertStatements.get(rowCount);
    if (statement === undefined) {
      const values = Array.from({ length: rowCount }, () => "(?, ?, ?)").join(", ");
      statement = this.db.prepare<(number | null)[]>(`INSERT INTO readings (meter, time, value) VALUES ${values}`);
      this.insertStatements.set(rowCount, statement);
    }
    return statement;
  }

  /** Adds a write's new totals to the stored ones, in the caller's transaction. */
  private mergeTotals(levels: UsageTotals[]): void {
    for (const level of levels) {
      const totals = level.take();
      for (let i = 0; i < totals.length; i += totalsPerUpsert) {
        const rows = totals.slice(i, i + totalsPerUpsert);
        const parameters: (number | null)[] = [];
        for (const { meter, start, count, missingCount, sum, min, max } of rows) parameters.push(meter, start, count, missingCount, sum, min, max);
        this.upsertTotalStatement(level.level, rows.length).run(...parameters);
      }
    }
  }

  private upsertTotalStatement({ table }: UsageLevel, rowCount: number): Database.Statement<(number | null)[]> {
    const key = `${table} ${rowCount}`;
    let statement = this.upsertTotalStatements.get(key);
    if (statement === undefined) {
      const values = Array.from({ length: rowCount }, () => "(?, ?, ?, ?, ?, ?, ?)").join(", ");
      statement = this.db.prepare<(number | null)[]>(
        `INSERT INTO ${table} (meter, span_start, value_count, missing_count, value_sum, value_min, value_max) VALUES ${values}
         ON CONFLICT (meter, span_start) DO UPDATE SET
           value_count = value_count + excluded.value_count,
           missing_count = missing_count + excluded.missing_count,
           value_sum = value_sum + excluded.value_sum,
           value_min = min(coalesce(value_min, excluded.value_min), coalesce(excluded.value_min, value_min)),
           value_max = max(coalesce(value_max, excluded.value_max), coalesce(excluded.value_max, value_max))`,
      );
      this.upsertTotalStatements.set(key, statement);
    }
    return statement;
  }

  /** Names the first row of a failed insert whose time was already taken. */
  private findDuplicate(meter: string, id: number, rows: MeterReading[], meterWasEmpty: boolean): DuplicateTimeError {
    const lineByTime = new Map<number, number>();
    for (const row of rows) {
      const firstLine = lineByTime.get(row.time);
      if (firstLine !== undefined) {
        return new DuplicateTimeError(row.line, meter, row.time, `appears twice: first on line ${firstLine}`);
      }
      if (this.statements.exists.get(id, row.time) !== undefined) {
        const where = meterWasEmpty
          ? "appears twice: first earlier in the file"
          : "is already stored (or appears earlier in the file)";
        return new DuplicateTimeError(row.line, meter, row.time, where);
      }
      lineByTime.set(row.time, row.line);
    }
    throw new Error("SQLite reported a duplicate time, but no row of the failed insert has one");
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
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
    upgradeSchema(db);
    createRegisterTable(db);
    return db;
  } catch (error) {
    db?.close();
    throw new StoreOpenError(path, openFailureReason(error));
  }
}

function openFailureReason(error: unknown): string {
  const code = error instanceof Database.SqliteError ? error.code : undefined;
  if (code === "SQLITE_NOTADB") return "the file is not an SQLite database";
  if (code?.startsWith("SQLITE_READONLY") || code === "SQLITE_CANTOPEN") {
    return "the file or its folder cannot be written (SQLite needs to write the file and its -wal and -shm files beside it)";
  }
  return error instanceof Error ? error.message : String(error);
}

function isPrimaryKeyViolation(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

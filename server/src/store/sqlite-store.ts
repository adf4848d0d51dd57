import Database from "better-sqlite3";
import type { Bucket } from "../readings/bucket.js";
import type { NumberedReading, Reading, Summary, TimeRange } from "../readings/reading.js";
import { DuplicateTimeError } from "./duplicate-time-error.js";
import { LiveTail } from "./live-tail.js";
import { ReadingConflictError } from "./reading-conflict-error.js";
import { ReadingFeed } from "./reading-feed.js";
import { StoreOpenError } from "./store-open-error.js";
import type { AppendResult, Extent, FollowOptions, ImportOptions, ImportResult, ReadingStore } from "./reading-store.js";

const schema = `
  CREATE TABLE IF NOT EXISTS readings (
    time INTEGER PRIMARY KEY,  -- epoch milliseconds, UTC
    value REAL                 -- NULL when the meter reported no value
  ) STRICT;
`;

// Bounds that stand for "unbounded" in range queries; every stored time lies between them.
const earliest = Number.MIN_SAFE_INTEGER;
const latest = Number.MAX_SAFE_INTEGER;

// Rows per INSERT statement: multi-row statements cross from JS into SQLite far less often.
const rowsPerInsert = 256;

type RawRow = [time: number, value: number | null];
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
  private readonly countStatement: Database.Statement<[], number>;
  private readonly pageStatement: Database.Statement<[number, number, number], RawRow>;
  private readonly summaryStatement: Database.Statement<[number, number], SummaryRow>;
  private readonly existsStatement: Database.Statement<[number], number>;
  private readonly extentStatement: Database.Statement<[number, number], ExtentRow>;
  private readonly bucketStatement: Database.Statement<[number, number], BucketRow>;
  private readonly valueStatement: Database.Statement<[number], { value: number | null }>;
  private readonly insertNewStatement: Database.Statement<[number, number | null]>;
  private readonly insertStatements = new Map<number, Database.Statement<(number | null)[]>>();

  constructor(path: string) {
    this.db = openDatabase(path);
    this.countStatement = this.db.prepare<[], number>("SELECT count(*) FROM readings").pluck();
    this.pageStatement = this.db
      .prepare<[number, number, number], RawRow>(
        "SELECT time, value FROM readings WHERE time >= ? AND time < ? ORDER BY time LIMIT ?",
      )
      .raw();
    this.summaryStatement = this.db
      .prepare<[number, number], SummaryRow>(
        `SELECT count(*), count(value), min(time), max(time), min(value), max(value), avg(value), total(value)
         FROM readings WHERE time >= ? AND time < ?`,
      )
      .raw();
    this.existsStatement = this.db
      .prepare<[number], number>("SELECT 1 FROM readings WHERE time = ?")
      .pluck();
    this.extentStatement = this.db
      .prepare<[number, number], ExtentRow>("SELECT count(*), min(time), max(time) FROM readings WHERE time >= ? AND time < ?")
      .raw();
    this.bucketStatement = this.db
      .prepare<[number, number], BucketRow>(
        "SELECT count(*), count(value), min(value), max(value), avg(value) FROM readings WHERE time >= ? AND time < ?",
      )
      .raw();
    this.valueStatement = this.db.prepare<[number], { value: number | null }>("SELECT value FROM readings WHERE time = ?");
    this.insertNewStatement = this.db.prepare<[number, number | null]>(
      "INSERT INTO readings (time, value) VALUES (?, ?) ON CONFLICT (time) DO NOTHING",
    );
  }

  async count(): Promise<number> {
    return this.countStatement.get() ?? 0;
  }

  async *readBatches(range: TimeRange, batchSize: number): AsyncIterable<Reading[]> {
    for (const { readings } of this.pages(range, batchSize)) {
      if (readings.length > 0) yield readings;
    }
  }

  async *follow(range: TimeRange, batchSize: number, options: FollowOptions): AsyncIterable<Reading[]> {
    const tail = new LiveTail(range, options.maxQueued);
    const unsubscribe = this.feed.subscribe((readings) => tail.offer(readings));
    // A reader that stops pulling without ending the iteration must not stay subscribed.
    options.signal.addEventListener("abort", unsubscribe, { once: true });
    try {
      for (const { readings, isLast } of this.pages(range, batchSize)) {
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
  private *pages(range: TimeRange, batchSize: number): Generator<{ readings: Reading[]; isLast: boolean }> {
    const end = range.end ?? latest;
    let from = range.start ?? earliest;
    for (;;) {
      const rows = this.pageStatement.all(from, end, batchSize);
      const isLast = rows.length < batchSize;
      yield { readings: rows.map(([time, value]) => ({ time, value })), isLast };
      if (isLast) return;
      from = rows[rows.length - 1][0] + 1;
    }
  }

  async summarize(range: TimeRange): Promise<Summary> {
    const [count, valueCount, firstTime, lastTime, min, max, mean, sum] = this.summaryStatement.get(
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

  async extent(range: TimeRange): Promise<Extent> {
    const [count, firstTime, lastTime] = this.extentStatement.get(range.start ?? earliest, range.end ?? latest)!;
    return { count, firstTime: firstTime ?? undefined, lastTime: lastTime ?? undefined };
  }

  /**
   * One aggregate per bucket, each over its own stretch of the primary key: a single GROUP BY
   * on the bucket number sorts every row of the range first, which took three times as long.
   */
  async bucketize(range: Required<TimeRange>, width: number): Promise<Bucket[]> {
    const buckets: Bucket[] = [];
    for (let start = range.start; start < range.end; start += width) {
      const end = Math.min(start + width, range.end);
      const [total, count, min, max, mean] = this.bucketStatement.get(start, end)!;
      if (total === 0) continue;
      buckets.push({ start, end, count, missingCount: total - count, min: min ?? undefined, max: max ?? undefined, mean: mean ?? undefined });
    }
    return buckets;
  }

  async importReadings(batches: AsyncIterable<NumberedReading[]>, options: ImportOptions = {}): Promise<ImportResult> {
    let stored = 0;
    let removed = 0;
    this.db.exec("BEGIN IMMEDIATE");
    try {
      if (options.replace) removed = this.db.prepare("DELETE FROM readings").run().changes;
      const wasEmpty = (await this.count()) === 0;
      if (options.onlyIntoEmpty && !wasEmpty) {
        this.db.exec("ROLLBACK");
        return { stored: 0, removed: 0, skipped: true };
      }
      for await (const batch of batches) {
        for (let i = 0; i < batch.length; i += rowsPerInsert) {
          this.insert(batch.slice(i, i + rowsPerInsert), wasEmpty);
        }
        stored += batch.length;
      }
      this.db.exec(options.dryRun ? "ROLLBACK" : "COMMIT");
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw error;
    }
    return { stored, removed, skipped: false };
  }

  async appendReadings(readings: Reading[]): Promise<AppendResult> {
    const fresh: Reading[] = [];
    this.db.transaction(() => {
      for (const reading of readings) {
        if (this.insertNewStatement.run(reading.time, reading.value).changes === 1) {
          fresh.push(reading);
          continue;
        }
        const stored = this.valueStatement.get(reading.time)!.value;
        if (stored !== reading.value) throw new ReadingConflictError(reading.time, stored, reading.value);
      }
    })();
    this.feed.publish(fresh);
    return { stored: fresh.length, alreadyStored: readings.length - fresh.length };
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private insert(rows: NumberedReading[], storeWasEmpty: boolean): void {
    const parameters: (number | null)[] = new Array(rows.length * 2);
    for (let i = 0; i < rows.length; i++) {
      parameters[2 * i] = rows[i].time;
      parameters[2 * i + 1] = rows[i].value;
    }
    try {
      this.insertStatement(rows.length).run(...parameters);
    } catch (error) {
      if (isPrimaryKeyViolation(error)) throw this.findDuplicate(rows, storeWasEmpty);
      throw error;
    }
  }

  private insertStatement(rowCount: number): Database.Statement<(number | null)[]> {
    let statement = this.insertStatements.get(rowCount);
    if (statement === undefined) {
      const values = Array.from({ length: rowCount }, () => "(?, ?)").join(", ");
      statement = this.db.prepare<(number | null)[]>(`INSERT INTO readings (time, value) VALUES ${values}`);
      this.insertStatements.set(rowCount, statement);
    }
    return statement;
  }

  /** Names the first row of a failed insert whose time was already taken. */
  private findDuplicate(rows: NumberedReading[], storeWasEmpty: boolean): DuplicateTimeError {
    const lineByTime = new Map<number, number>();
    for (const row of rows) {
      const firstLine = lineByTime.get(row.time);
      if (firstLine !== undefined) {
        return new DuplicateTimeError(row.line, row.time, `appears twice: first on line ${firstLine}`);
      }
      if (this.existsStatement.get(row.time) !== undefined) {
        const where = storeWasEmpty
          ? "appears twice: first earlier in the file"
          : "is already stored (or appears earlier in the file)";
        return new DuplicateTimeError(row.line, row.time, where);
      }
      lineByTime.set(row.time, row.line);
    }
    throw new Error("SQLite reported a duplicate time, but no row of the failed insert has one");
  }
}

/**
 * Opens the file and proves it usable now: WAL mode and the schema both write, so a file
 * that is not SQLite, or that cannot be written, fails here with a clear reason.
 */
function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 5000");
    db.exec(schema);
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

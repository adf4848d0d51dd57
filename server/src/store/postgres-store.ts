import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Bucket } from "../readings/bucket.js";
import type { NumberedReading, Reading, Summary, TimeRange } from "../readings/reading.js";
import { DuplicateTimeError } from "./duplicate-time-error.js";
import { fencedFollow, type Page } from "./fenced-follow.js";
import { NotificationSession } from "./notification-session.js";
import { copyConflict, CopyLines, copyStatement, copyText } from "./postgres-copy.js";
import { createSchema } from "./postgres-schema.js";
import { millisOf, rangeBoundsText, timestamptzText } from "./postgres-time.js";
import { ReadingConflictError } from "./reading-conflict-error.js";
import { ReadingFeed } from "./reading-feed.js";
import { readingPayloads, readingsChannel } from "./reading-notices.js";
import type { AppendResult, Extent, FollowOptions, ImportOptions, ImportResult, ReadingStore } from "./reading-store.js";
import { shownLocation } from "./store-location.js";
import { StoreOpenError } from "./store-open-error.js";

// Readings travel as two parallel arrays that unnest() zips back into rows: one statement and
// two parameters for any number of readings, where VALUES lists stop at 65,535 parameters.
const readingRows = "unnest($1::timestamptz[], $2::float8[])";

const pageQuery = {
  name: "meterusage-page",
  text: `SELECT ${millisOf("time")}, value FROM readings WHERE time >= $1 AND time < $2 ORDER BY time LIMIT $3`,
};
// No avg(): for double precision it also sums the squares, which overflow (an error, not
// Infinity) for values beyond 1e154; the mean is the sum over the count instead.
const summaryQuery = {
  name: "meterusage-summary",
  text: `SELECT count(*), count(value), ${millisOf("min(time)")}, ${millisOf("max(time)")},
                min(value), max(value), coalesce(sum(value), 0)
         FROM readings WHERE time >= $1 AND time < $2`,
};
const extentQuery = {
  name: "meterusage-extent",
  text: `SELECT count(*), ${millisOf("min(time)")}, ${millisOf("max(time)")} FROM readings WHERE time >= $1 AND time < $2`,
};
const appendQuery = {
  name: "meterusage-append",
  text: `INSERT INTO readings (time, value) SELECT * FROM ${readingRows} ON CONFLICT (time) DO NOTHING RETURNING ${millisOf("time")}`,
};
const timeQuery = {
  name: "meterusage-time",
  text: `SELECT ${millisOf("$1::timestamptz")}`,
};
const storedValuesQuery = {
  name: "meterusage-stored-values",
  text: `SELECT ${millisOf("time")}, value FROM readings WHERE time = ANY($1::timestamptz[])`,
};
// NOTIFY inside the storing transaction, not after it: PostgreSQL delivers the notices if and
// when the transaction commits, in commit order, which the followers' fences rely on.
const notifyQuery = {
  name: "meterusage-notify",
  text: `SELECT pg_notify('${readingsChannel}', payload) FROM unnest($1::text[]) AS payload`,
};

type Millis = string;
type BucketRow = [index: string, count: string, missingCount: string, min: number | null, max: number | null, mean: number | null];
type SummaryRow = [
  count: string,
  valueCount: string,
  firstTime: Millis | null,
  lastTime: Millis | null,
  min: number | null,
  max: number | null,
  sum: number,
];

/**
 * Readings in PostgreSQL, for several service processes on one database: what one process
 * stores, followers in every process hear of, through LISTEN/NOTIFY.
 */
export class PostgresStore implements ReadingStore {
  /** Followers in this process; they hear of the readings every process stores. */
  readonly feed = new ReadingFeed();
  private session: NotificationSession | undefined;
  private opening: Promise<NotificationSession> | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly config: pg.ClientConfig,
  ) {}

  /**
   * Connects to the database at a postgres:// URL and creates the table if it has none, so a
   * database that cannot be used fails here, with a StoreOpenError that says why.
   */
  static async open(url: string): Promise<PostgresStore> {
    const config: pg.PoolConfig = { connectionString: url, keepAlive: true, connectionTimeoutMillis: 10_000 };
    const pool = new pg.Pool(config);
    // The pool drops an idle connection that breaks and opens another when one is needed;
    // without a listener, the error event would end the process.
    pool.on("error", () => {});
    try {
      await createSchema(pool);
    } catch (error) {
      await pool.end();
      throw new StoreOpenError(shownLocation(url), openFailureReason(error));
    }
    return new PostgresStore(pool, config);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<[string]>({ text: "SELECT count(*) FROM readings", rowMode: "array" });
    return Number(rows[0][0]);
  }

  async *readBatches(range: TimeRange, batchSize: number): AsyncIterable<Reading[]> {
    for await (const { readings } of this.pages(range, batchSize)) {
      if (readings.length > 0) yield readings;
    }
  }

  async *follow(range: TimeRange, batchSize: number, options: FollowOptions): AsyncIterable<Reading[]> {
    const session = await this.listening();
    yield* fencedFollow({ pages: (r, size) => this.pages(r, size), feed: this.feed, session }, range, batchSize, options);
  }

  /**
   * Reads in keyset pages, one short statement each, rather than through a cursor: a cursor
   * would hold a pooled connection and an open transaction for as long as a slow client reads.
   */
  private async *pages(range: TimeRange, batchSize: number): AsyncGenerator<Page> {
    const [start, end] = rangeBoundsText(range);
    let from = start;
    for (;;) {
      const { rows } = await this.pool.query<[Millis, number | null]>({ ...pageQuery, values: [from, end, batchSize], rowMode: "array" });
      const readings = rows.map(([time, value]) => ({ time: Number(time), value }));
      const isLast = readings.length < batchSize;
      yield { readings, isLast };
      if (isLast) return;
      from = timestamptzText(readings[readings.length - 1].time + 1);
    }
  }

  async summarize(range: TimeRange): Promise<Summary> {
    const [start, end] = rangeBoundsText(range);
    const { rows } = await this.pool.query<SummaryRow>({ ...summaryQuery, values: [start, end], rowMode: "array" });
    const [count, valueCount, firstTime, lastTime, min, max, sum] = rows[0];
    return {
      count: Number(count),
      missingCount: Number(count) - Number(valueCount),
      firstTime: firstTime === null ? undefined : Number(firstTime),
      lastTime: lastTime === null ? undefined : Number(lastTime),
      min: min ?? undefined,
      max: max ?? undefined,
      mean: Number(valueCount) > 0 ? sum / Number(valueCount) : undefined,
      sum,
    };
  }

  async extent(range: TimeRange): Promise<Extent> {
    const [start, end] = rangeBoundsText(range);
    const { rows } = await this.pool.query<[string, Millis | null, Millis | null]>({ ...extentQuery, values: [start, end], rowMode: "array" });
    const [count, firstTime, lastTime] = rows[0];
    return { count: Number(count), firstTime: firstTime === null ? undefined : Number(firstTime), lastTime: lastTime === null ? undefined : Number(lastTime) };
  }

  async bucketize(range: Required<TimeRange>, width: number): Promise<Bucket[]> {
    const { rows } = await this.pool.query<BucketRow>({
      text: `SELECT (${millisOf("time")} - $3::bigint) / $4::bigint AS bucket, count(value), count(*) - count(value), min(value), max(value), avg(value)
             FROM readings WHERE time >= $1::timestamptz AND time < $2::timestamptz GROUP BY bucket ORDER BY bucket`,
      values: [timestamptzText(range.start), timestamptzText(range.end), range.start, width],
      rowMode: "array",
    });
    return rows.map(([index, count, missingCount, min, max, mean]) => {
      const start = range.start + Number(index) * width;
      return {
        start,
        end: Math.min(start + width, range.end),
        count: Number(count),
        missingCount: Number(missingCount),
        min: min ?? undefined,
        max: max ?? undefined,
        mean: mean ?? undefined,
      };
    });
  }

  /**
   * Streams every batch into one COPY FROM STDIN, in one transaction: pg speaks COPY only
   * through the pg-copy-streams package. The stream waits whenever PostgreSQL reads slower
   * than the file parses, so no more than a batch or two is ever in memory. A source that
   * throws aborts the COPY, and the transaction rolls back. `replace` deletes rather than
   * truncates: TRUNCATE would lock out every reader until the import ends.
   *
   * COPY refuses a taken time only by its row, so each row's line is kept, compactly; a time
   * repeated within one batch is caught here first, to name both lines as SQLite does.
   * Imports tell no follower: they are bulk loads, not live readings.
   */
  async importReadings(batches: AsyncIterable<NumberedReading[]>, options: ImportOptions = {}): Promise<ImportResult> {
    const lines = new CopyLines();
    let storeWasEmpty = false;
    const work = async (client: pg.PoolClient): Promise<ImportResult> => {
      // A refused row's time comes back as text in the session's style, which in some styles
      // (SQL, German, with a zone such as LMT) cannot be read back; ISO in UTC always can.
      await client.query("SET LOCAL DateStyle = ISO; SET LOCAL TimeZone = UTC");
      const removed = options.replace ? ((await client.query("DELETE FROM readings")).rowCount ?? 0) : 0;
      // Importers into an empty store take turns, so that the second sees what the first stored.
      if (options.onlyIntoEmpty) await client.query("LOCK TABLE readings IN SHARE ROW EXCLUSIVE MODE");
      const { rows } = await client.query<[boolean]>({ text: "SELECT EXISTS (SELECT 1 FROM readings)", rowMode: "array" });
      storeWasEmpty = !rows[0][0];
      if (options.onlyIntoEmpty && !storeWasEmpty) return { stored: 0, removed: 0, skipped: true };
      let stored = 0;
      let repeated: DuplicateTimeError | undefined;
      async function* copyRows(): AsyncGenerator<string> {
        for await (const batch of batches) {
          const repeat = repeatIn(batch);
          const fresh = repeat === undefined ? batch : batch.slice(0, repeat.index);
          lines.add(fresh);
          stored += fresh.length;
          if (fresh.length > 0) yield copyText(fresh);
          // Ends the COPY with the rows before the repeat: one of them may have been taken
          // already, and that error, on an earlier line, comes first.
          if (repeat !== undefined) {
            repeated = repeat.error;
            return;
          }
        }
      }
      await pipeline(copyRows, client.query(copyFrom(copyStatement)));
      if (repeated !== undefined) throw repeated;
      return { stored, removed, skipped: false };
    };
    try {
      return await this.inTransaction(work, options.dryRun ? "ROLLBACK" : "COMMIT");
    } catch (error) {
      throw (await this.takenTime(error, lines, storeWasEmpty)) ?? error;
    }
  }

  async appendReadings(readings: Reading[]): Promise<AppendResult> {
    if (readings.length === 0) return { stored: 0, alreadyStored: 0 };
    const fresh = await this.inTransaction(async (client) => {
      const firsts = firstOfEachTime(readings);
      const inserted = await client.query<[Millis]>({ ...appendQuery, values: readingColumns(firsts), rowMode: "array" });
      // What each time holds as the readings are walked in order, as if stored one by one.
      const holds = new Map<number, number | null>();
      const insertedTimes = new Set(inserted.rows.map(([time]) => Number(time)));
      if (insertedTimes.size < firsts.length) {
        const taken = firsts.filter((reading) => !insertedTimes.has(reading.time)).map((reading) => timestamptzText(reading.time));
        const stored = await client.query<[Millis, number | null]>({ ...storedValuesQuery, values: [taken], rowMode: "array" });
        for (const [time, value] of stored.rows) holds.set(Number(time), value);
      }
      const fresh: Reading[] = [];
      for (const reading of readings) {
        if (!holds.has(reading.time)) {
          fresh.push(reading);
          holds.set(reading.time, reading.value);
          continue;
        }
        const stored = holds.get(reading.time)!;
        if (stored !== reading.value) throw new ReadingConflictError(reading.time, stored, reading.value);
      }
      if (fresh.length > 0) await client.query({ ...notifyQuery, values: [readingPayloads(fresh)] });
      return fresh;
    });
    return { stored: fresh.length, alreadyStored: readings.length - fresh.length };
  }

  async close(): Promise<void> {
    await this.opening?.catch(() => {});
    await this.session?.close();
    await this.pool.end();
  }

  /** The store's listening connection, opened on the first follow and again after a loss. */
  private async listening(): Promise<NotificationSession> {
    if (this.session !== undefined && !this.session.lost.aborted) return this.session;
    this.opening ??= NotificationSession.open(this.config, (readings) => this.feed.publish(readings)).finally(() => {
      this.opening = undefined;
    });
    this.session = await this.opening;
    return this.session;
  }

  /**
   * Names the line and time of a row that COPY refused because its time was taken, by an
   * earlier batch or a stored reading; a repeat within a batch never reaches COPY.
   */
  private async takenTime(error: unknown, lines: CopyLines, storeWasEmpty: boolean): Promise<DuplicateTimeError | undefined> {
    const conflict = copyConflict(error);
    const line = conflict === undefined ? undefined : lines.lineOf(conflict.row);
    if (conflict === undefined || line === undefined) return undefined;
    // PostgreSQL wrote the time in its own form; it reads it back, exactly, as milliseconds.
    // Should that fail, the import still fails with PostgreSQL's own error.
    const rows = await this.pool
      .query<[Millis]>({ ...timeQuery, values: [conflict.timeText], rowMode: "array" })
      .then((result) => result.rows)
      .catch(() => undefined);
    if (rows === undefined) return undefined;
    const where = storeWasEmpty ? "appears twice: first earlier in the file" : "is already stored (or appears earlier in the file)";
    return new DuplicateTimeError(line, Number(rows[0][0]), where);
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>, end: "COMMIT" | "ROLLBACK" = "COMMIT"): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query(end);
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

function readingColumns(readings: Reading[]): [times: string[], values: (number | null)[]] {
  return [readings.map((reading) => timestamptzText(reading.time)), readings.map((reading) => reading.value)];
}

/** One INSERT cannot store a time twice, so a request's repeated times wait for the walk. */
function firstOfEachTime(readings: Reading[]): Reading[] {
  const seen = new Set<number>();
  return readings.filter((reading) => !seen.has(reading.time) && seen.add(reading.time));
}

/** A batch's first row whose time an earlier row of the same batch has, naming both lines. */
function repeatIn(batch: NumberedReading[]): { index: number; error: DuplicateTimeError } | undefined {
  const lineByTime = new Map<number, number>();
  for (let index = 0; index < batch.length; index++) {
    const row = batch[index];
    const firstLine = lineByTime.get(row.time);
    if (firstLine !== undefined) return { index, error: new DuplicateTimeError(row.line, row.time, `appears twice: first on line ${firstLine}`) };
    lineByTime.set(row.time, row.line);
  }
  return undefined;
}

/** Node reports a refused connection to a name with several addresses as one error per address. */
function openFailureReason(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") return error.errors.map(openFailureReason).join("; ");
  return error instanceof Error ? error.message : String(error);
}

import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Bucket } from "../../readings/bucket.js";
import type { Meter } from "../../meters/meter.js";
import { UnknownMeterError } from "../../meters/unknown-meter-error.js";
import type { MeterReading, Reading, Summary, TimeRange } from "../../readings/reading.js";
import type { Tally, TimeSpan } from "../../readings/tally.js";
import { DuplicateTimeError } from "../duplicate-time-error.js";
import { fencedFollow, type Page } from "./fenced-follow.js";
import { groupByMeter } from "../group-by-meter.js";
import { usageLevels, usageTotalsOfEveryLevel, type UsageTotals } from "../usage-totals.js";
import { MeterFigures } from "../meter-figures.js";
import { NotificationSession } from "./notification-session.js";
import { copyConflict, CopyLines, copyStatement, copyText } from "./postgres-copy.js";
import { createSchema } from "./postgres-schema.js";
import { createRegisterTable, holdLease, readRegisters, saveRegisters } from "./postgres-registers.js";
import type { RegisterState } from "../register-state.js";
import { millisOf, rangeBoundsText, timestamptzText } from "./postgres-time.js";
import { postgresTally } from "./postgres-tally.js";
import { ReadingConflictError } from "../reading-conflict-error.js";
import { ReadingFeed } from "../reading-feed.js";
import { readingPayloads, readingsChannel } from "./reading-notices.js";
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
import { shownLocation } from "../store-location.js";
import { StoreOpenError } from "../store-open-error.js";

// Readings travel as parallel arrays that unnest() zips back into rows: one statement and a
// few parameters for any number of readings, where VALUES lists stop at 65,535 parameters.
const readingRows = "unnest($2::timestamptz[], $3::float8[])";

const countQuery = { name: "meterusage-count", text: "SELECT coalesce(sum(count), 0) FROM meters" };
const metersQuery = {
  name: "meterusage-meters",
  // The C collation orders names by their bytes, as SQLite does, whatever the database's locale.
  text: `SELECT name, count, ${millisOf("first_time")}, ${millisOf("last_time")}, unit, time_zone FROM meters ORDER BY name COLLATE "C"`,
};
const meterQuery = {
  name: "meterusage-meter",
  text: `SELECT name, count, ${millisOf("first_time")}, ${millisOf("last_time")}, unit, time_zone FROM meters WHERE name = $1`,
};
const firstMeterQuery = { name: "meterusage-first-meter", text: "SELECT name FROM meters ORDER BY id LIMIT 1" };
const meterIdQuery = { name: "meterusage-meter-id", text: "SELECT id FROM meters WHERE name = $1" };
// A meter two transactions create at once is created by the first; the second waits, then finds it.
const createMeterQuery = {
  name: "meterusage-create-meter",
  text: `WITH created AS (INSERT INTO meters (name, time_zone) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id)
         SELECT id, true FROM created UNION ALL SELECT id, false FROM meters WHERE name = $1`,
};
const setMeterSettingsQuery = {
  name: "meterusage-set-meter-settings",
  text: "UPDATE meters SET unit = coalesce($1, unit), time_zone = coalesce($2, time_zone) WHERE name = $3",
};
const clearMeterQuery = {
  name: "meterusage-clear-meter",
  text: `WITH removed AS (DELETE FROM readings WHERE meter = $1 RETURNING 1),
              hours AS (DELETE FROM usage_hours WHERE meter = $1),
              days AS (DELETE FROM usage_days WHERE meter = $1),
              figures AS (UPDATE meters SET count = 0, first_time = NULL, last_time = NULL WHERE id = $1)
         SELECT count(*) FROM removed`,
};
const pageQuery = {
  name: "meterusage-page",
  text: `SELECT ${millisOf("time")}, value FROM readings WHERE meter = $1 AND time >= $2 AND time < $3 ORDER BY time LIMIT $4`,
};
// No avg(): for double precision it also sums the squares, which overflow (an error, not
// Infinity) for values beyond 1e154; the mean is the sum over the count instead.
const summaryQuery = {
  name: "meterusage-summary",
  text: `SELECT count(*), count(value), ${millisOf("min(time)")}, ${millisOf("max(time)")},
                min(value), max(value), coalesce(sum(value), 0)
         FROM readings WHERE meter = $1 AND time >= $2 AND time < $3`,
};
const extentQuery = {
  name: "meterusage-extent",
  text: `SELECT count(*), ${millisOf("min(time)")}, ${millisOf("max(time)")} FROM readings WHERE meter = $1 AND time >= $2 AND time < $3`,
};
const appendQuery = {
  name: "meterusage-append",
  text: `INSERT INTO readings (meter, time, value) SELECT $1, * FROM ${readingRows} ON CONFLICT (meter, time) DO NOTHING RETURNING ${millisOf("time")}`,
};
const timeQuery = {
  name: "meterusage-time",
  text: `SELECT ${millisOf("$1::timestamptz")}`,
};
const storedValuesQuery = {
  name: "meterusage-stored-values",
  text: `SELECT ${millisOf("time")}, value FROM readings WHERE meter = $1 AND time = ANY($2::timestamptz[])`,
};
// Additions, not overwrites: two transactions adding to one meter or hour at once each add
// their own part, the second to what the first committed.
const addFiguresQuery = {
  name: "meterusage-add-figures",
  text: `UPDATE meters m SET count = m.count + c.count, first_time = least(m.first_time, c.first), last_time = greatest(m.last_time, c.last)
         FROM unnest($1::int[], $2::bigint[], $3::timestamptz[], $4::timestamptz[]) AS c (id, count, first, last) WHERE m.id = c.id`,
};
const addTotalsQueries = new Map(
  usageLevels.map(({ table }) => [
    table,
    {
      name: `meterusage-add-${table}`,
      text: `INSERT INTO ${table} (meter, span_start, value_count, missing_count, value_sum, value_min, value_max)
             SELECT * FROM unnest($1::int[], $2::timestamptz[], $3::bigint[], $4::bigint[], $5::float8[], $6::float8[], $7::float8[])
             ON CONFLICT (meter, span_start) DO UPDATE SET
               value_count = ${table}.value_count + excluded.value_count,
               missing_count = ${table}.missing_count + excluded.missing_count,
               value_sum = ${table}.value_sum + excluded.value_sum,
               value_min = least(${table}.value_min, excluded.value_min),
               value_max = greatest(${table}.value_max, excluded.value_max)`,
    },
  ]),
);
// NOTIFY inside the storing transaction, not after it: PostgreSQL delivers the notices if and
// when the transaction commits, in commit order, which the followers' fences rely on.
const notifyQuery = {
  name: "meterusage-notify",
  text: `SELECT pg_notify('${readingsChannel}', payload) FROM unnest($1::text[]) AS payload`,
};
// Any fixed number, other than the schema's: only the processes sharing a database must agree on it.
const subscriberLock = 5_837_220;
// Meter-hours an import adds up in memory before it pauses its COPY to merge them in.
const totalsHeld = 100_000;

type Millis = string;
type MeterRow = [name: string, count: string, firstTime: Millis | null, lastTime: Millis | null, unit: string, timeZone: string];
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
  /** Meter ids never change once given, so a name found once needs no second lookup. */
  private readonly meterIds = new Map<string, number>();
  private session: NotificationSession | undefined;
  private opening: Promise<NotificationSession> | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly config: pg.ClientConfig,
    private readonly newMeterTimeZone: string,
  ) {}

  /**
   * Connects to the database at a postgres:// URL and creates or upgrades the schema, so a
   * database that cannot be used fails here, with a StoreOpenError that says why.
   */
  static async open(url: string, options: StoreOptions = {}): Promise<PostgresStore> {
    const config: pg.PoolConfig = { connectionString: url, keepAlive: true, connectionTimeoutMillis: 10_000 };
    const pool = new pg.Pool(config);
    // The pool drops an idle connection that breaks and opens another when one is needed;
    // without a listener, the error event would end the process.
    pool.on("error", () => {});
    try {
      await createSchema(pool);
      await createRegisterTable(pool);
    } catch (error) {
      await pool.end();
      throw new StoreOpenError(shownLocation(url), openFailureReason(error));
    }
    return new PostgresStore(pool, config, options.newMeterTimeZone ?? "UTC");
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<[string]>({ ...countQuery, rowMode: "array" });
    return Number(rows[0][0]);
  }

  async meters(): Promise<Meter[]> {
    const { rows } = await this.pool.query<MeterRow>({ ...metersQuery, rowMode: "array" });
    return rows.map(meterOf);
  }

  async meter(name: string): Promise<Meter | undefined> {
    const { rows } = await this.pool.query<MeterRow>({ ...meterQuery, values: [name], rowMode: "array" });
    return rows.length === 0 ? undefined : meterOf(rows[0]);
  }

  async firstMeter(): Promise<string | undefined> {
    const { rows } = await this.pool.query<[string]>({ ...firstMeterQuery, rowMode: "array" });
    return rows[0]?.[0];
  }

  async setMeterSettings(meter: string, settings: MeterSettings): Promise<void> {
    const { rowCount } = await this.pool.query({ ...setMeterSettingsQuery, values: [settings.unit ?? null, settings.timeZone ?? null, meter] });
    if (rowCount === 0) throw new UnknownMeterError(meter);
  }

  async tally(meters: string[], spans: TimeSpan[]): Promise<Tally[][]> {
    return postgresTally(this.pool, await Promise.all(meters.map((meter) => this.requireId(meter))), spans);
  }

  async *readBatches(meter: string, range: TimeRange, batchSize: number): AsyncIterable<Reading[]> {
    const id = await this.requireId(meter);
    for await (const { readings } of this.pages(id, range, batchSize)) {
      if (readings.length > 0) yield readings;
    }
  }

  async *follow(meter: string, range: TimeRange, batchSize: number, options: FollowOptions): AsyncIterable<Reading[]> {
    const id = await this.requireId(meter);
    const session = await this.listening();
    yield* fencedFollow({ pages: (r, size) => this.pages(id, r, size), feed: this.feed, session }, meter, range, batchSize, options);
  }

  /**
   * Reads in keyset pages, one short statement each, rather than through a cursor: a cursor
   * would hold a pooled connection and an open transaction for as long as a slow client reads.
   */
  private async *pages(meter: number, range: TimeRange, batchSize: number): AsyncGenerator<Page> {
    const [start, end] = rangeBoundsText(range);
    let from = start;
    for (;;) {
      const { rows } = await this.pool.query<[Millis, number | null]>({ ...pageQuery, values: [meter, from, end, batchSize], rowMode: "array" });
      const readings = rows.map(([time, value]) => ({ time: Number(time), value }));
      const isLast = readings.length < batchSize;
      yield { readings, isLast };
      if (isLast) return;
      from = timestamptzText(readings[readings.length - 1].time + 1);
    }
  }

  async summarize(meter: string, range: TimeRange): Promise<Summary> {
    const id = await this.requireId(meter);
    const [start, end] = rangeBoundsText(range);
    const { rows } = await this.pool.query<SummaryRow>({ ...summaryQuery, values: [id, start, end], rowMode: "array" });
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

  async extent(meter: string, range: TimeRange): Promise<Extent> {
    const id = await this.requireId(meter);
    const [start, end] = rangeBoundsText(range);
    const { rows } = await this.pool.query<[string, Millis | null, Millis | null]>({ ...extentQuery, values: [id, start, end], rowMode: "array" });
    const [count, firstTime, lastTime] = rows[0];
    return { count: Number(count), firstTime: firstTime === null ? undefined : Number(firstTime), lastTime: lastTime === null ? undefined : Number(lastTime) };
  }

  async bucketize(meter: string, range: Required<TimeRange>, width: number): Promise<Bucket[]> {
    const id = await this.requireId(meter);
    const { rows } = await this.pool.query<BucketRow>({
      text: `SELECT (${millisOf("time")} - $3::bigint) / $4::bigint AS bucket, count(value), count(*) - count(value), min(value), max(value), avg(value)
             FROM readings WHERE meter = $5 AND time >= $1::timestamptz AND time < $2::timestamptz GROUP BY bucket ORDER BY bucket`,
      values: [timestamptzText(range.start), timestamptzText(range.end), range.start, width, id],
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
   * Streams the batches into COPY FROM STDIN, in one transaction: pg speaks COPY only through
   * the pg-copy-streams package. The stream waits whenever PostgreSQL reads slower than the
   * file parses, so no more than a batch or two is ever in memory. A source that throws
   * aborts the COPY, and the transaction rolls back. `replace` deletes rather than
   * truncates: TRUNCATE would lock out every reader until the import ends.
   *
   * A COPY's connection can run nothing else until it ends, so the import pauses its COPY,
   * in the same transaction, to create a meter it meets for the first time and to merge the
   * hourly totals it added up, then goes on with another. COPY refuses a taken time only by
   * its row, so each row's line is kept, compactly; a time repeated within one batch is
   * caught here first, to name both lines as SQLite does. Imports tell no follower: they
   * are bulk loads, not live readings.
   */
  async importReadings(batches: AsyncIterable<MeterReading[]>, options: ImportOptions = {}): Promise<ImportResult> {
    const meters = new Map<string, { id: number; wasEmpty: boolean }>();
    const work = async (client: pg.PoolClient): Promise<ImportResult> => {
      // A refused row's time comes back as text in the session's style, which in some styles
      // (SQL, German, with a zone such as LMT) cannot be read back; ISO in UTC always can.
      await client.query("SET LOCAL DateStyle = ISO; SET LOCAL TimeZone = UTC");
      // Importers into an empty store take turns, so that the second sees what the first stored.
      if (options.onlyIntoEmpty) await client.query("LOCK TABLE meters IN SHARE ROW EXCLUSIVE MODE");
      if (options.onlyIntoEmpty && (await this.countIn(client)) > 0) return { stored: 0, removed: 0, skipped: true };
      const figures = new MeterFigures();
      const totals = usageTotalsOfEveryLevel();
      const totalsFull = () => totals.some((level) => level.size > totalsHeld);
      let stored = 0;
      let removed = 0;
      const source = batches[Symbol.asyncIterator]();
      let next = await source.next();
      while (!next.done) {
        for (const name of new Set(next.value.map((reading) => reading.meter))) {
          if (meters.has(name)) continue;
          const { id, created } = await this.createdId(client, name);
          if (options.replace) removed += await this.clearMeter(client, id);
          meters.set(name, { id, wasEmpty: created || options.replace === true });
        }
        if (totalsFull()) await this.addTotals(client, totals);
        const lines = new CopyLines();
        let repeated: DuplicateTimeError | undefined;
        // One COPY: this batch, then the next ones until one names a new meter or the totals fill.
        async function* copyRows(): AsyncGenerator<string> {
          for (;;) {
            const batch = next.value as MeterReading[];
            for (const [name, rows] of groupByMeter(batch)) {
              const { id } = meters.get(name)!;
              const repeat = repeatIn(name, rows);
              const fresh = repeat === undefined ? rows : rows.slice(0, repeat.index);
              lines.add(fresh);
              figures.add(id, fresh);
              for (const level of totals) level.add(id, fresh);
              stored += fresh.length;
              if (fresh.length > 0) yield copyText(id, fresh);
              // Ends the COPY with the rows before the repeat: one of them may have been taken
              // already, and that error, on an earlier line, comes first.
              if (repeat !== undefined) {
                repeated = repeat.error;
                return;
              }
            }
            next = await source.next();
            if (next.done || totalsFull() || next.value.some((reading) => !meters.has(reading.meter))) return;
          }
        }
        try {
          await pipeline(copyRows, client.query(copyFrom(copyStatement)));
        } catch (error) {
          throw (await this.takenTime(error, lines, meters)) ?? error;
        }
        if (repeated !== undefined) throw repeated;
      }
      await this.addTotals(client, totals);
      await this.addFigures(client, figures);
      return { stored, removed, skipped: false };
    };
    return await this.inTransaction(work, options.dryRun ? "ROLLBACK" : "COMMIT");
  }

  async appendReadings(batches: MeterReadings[], options: AppendOptions = {}): Promise<AppendResult> {
    const received = batches.reduce((sum, { readings }) => sum + readings.length, 0);
    const registers = options.registers ?? [];
    if (received === 0 && registers.length === 0) return { stored: 0, alreadyStored: 0 };
    const stored = await this.inTransaction(async (client) => {
      const figures = new MeterFigures();
      const totals = usageTotalsOfEveryLevel();
      let stored = 0;
      for (const { meter, readings } of batches) {
        const { id, created } = await this.createdId(client, meter);
        const settings = created ? options.newMeterSettings?.get(meter) : undefined;
        if (settings) await client.query({ ...setMeterSettingsQuery, values: [settings.unit ?? null, settings.timeZone ?? null, meter] });
        const fresh = await this.appendNew(client, meter, id, readings);
        figures.add(id, fresh);
        for (const level of totals) level.add(id, fresh);
        stored += fresh.length;
        if (fresh.length > 0) await client.query({ ...notifyQuery, values: [readingPayloads(meter, fresh)] });
      }
      await this.addTotals(client, totals);
      await this.addFigures(client, figures);
      await saveRegisters(client, registers);
      return stored;
    });
    return { stored, alreadyStored: received - stored };
  }

  async registers(): Promise<RegisterState[]> {
    return readRegisters(this.pool);
  }

  /** A session-level advisory lock on a connection of its own: the processes sharing the database stand by for it. */
  async subscriberLease(signal: AbortSignal): Promise<Lease | undefined> {
    return holdLease(this.config, subscriberLock, signal);
  }

  async close(): Promise<void> {
    await this.opening?.catch(() => {});
    await this.session?.close();
    await this.pool.end();
  }

  /** Stores a meter's readings whose times it does not hold yet; a held time must hold the same value. */
  private async appendNew(client: pg.PoolClient, meter: string, id: number, readings: Reading[]): Promise<Reading[]> {
    const firsts = firstOfEachTime(readings);
    const inserted = await client.query<[Millis]>({ ...appendQuery, values: [id, ...readingColumns(firsts)], rowMode: "array" });
    // What each time holds as the readings are walked in order, as if stored one by one.
    const holds = new Map<number, number | null>();
    const insertedTimes = new Set(inserted.rows.map(([time]) => Number(time)));
    if (insertedTimes.size < firsts.length) {
      const taken = firsts.filter((reading) => !insertedTimes.has(reading.time)).map((reading) => timestamptzText(reading.time));
      const stored = await client.query<[Millis, number | null]>({ ...storedValuesQuery, values: [id, taken], rowMode: "array" });
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
      if (stored !== reading.value) throw new ReadingConflictError(meter, reading.time, stored, reading.value);
    }
    return fresh;
  }

  private async requireId(meter: string): Promise<number> {
    const cached = this.meterIds.get(meter);
    if (cached !== undefined) return cached;
    const { rows } = await this.pool.query<[number]>({ ...meterIdQuery, values: [meter], rowMode: "array" });
    if (rows.length === 0) throw new UnknownMeterError(meter);
    this.meterIds.set(meter, rows[0][0]);
    return rows[0][0];
  }

  /** The meter's id, creating the meter inside the caller's transaction when it is new. */
  private async createdId(client: pg.PoolClient, meter: string): Promise<{ id: number; created: boolean }> {
    const cached = this.meterIds.get(meter);
    if (cached !== undefined) return { id: cached, created: false };
    const { rows } = await client.query<[number, boolean]>({ ...createMeterQuery, values: [meter, this.newMeterTimeZone], rowMode: "array" });
    return { id: rows[0][0], created: rows[0][1] };
  }

  /** Removes a meter's readings for `replace`, answering how many there were. */
  private async clearMeter(client: pg.PoolClient, id: number): Promise<number> {
    const { rows } = await client.query<[string]>({ ...clearMeterQuery, values: [id], rowMode: "array" });
    return Number(rows[0][0]);
  }

  private async countIn(client: pg.PoolClient): Promise<number> {
    const { rows } = await client.query<[string]>({ ...countQuery, rowMode: "array" });
    return Number(rows[0][0]);
  }

  /** Adds a write's totals to the stored ones, in meter and time order, so concurrent writers lock rows alike. */
  private async addTotals(client: pg.PoolClient, levels: UsageTotals[]): Promise<void> {
    for (const level of levels) {
      const totals = level.take();
      if (totals.length === 0) continue;
      totals.sort((a, b) => a.meter - b.meter || a.start - b.start);
      await client.query({
        ...addTotalsQueries.get(level.level.table)!,
        values: [
          totals.map((total) => total.meter),
          totals.map((total) => timestamptzText(total.start)),
          totals.map((total) => total.count),
          totals.map((total) => total.missingCount),
          totals.map((total) => total.sum),
          totals.map((total) => total.min),
          totals.map((total) => total.max),
        ],
      });
    }
  }

  private async addFigures(client: pg.PoolClient, figures: MeterFigures): Promise<void> {
    const changes = figures.take().sort((a, b) => a.id - b.id);
    if (changes.length === 0) return;
    await client.query({
      ...addFiguresQuery,
      values: [
        changes.map((change) => change.id),
        changes.map((change) => change.count),
        changes.map((change) => timestamptzText(change.first)),
        changes.map((change) => timestamptzText(change.last)),
      ],
    });
  }

  /** The store's listening connection, opened on the first follow and again after a loss. */
  private async listening(): Promise<NotificationSession> {
    if (this.session !== undefined && !this.session.lost.aborted) return this.session;
    this.opening ??= NotificationSession.open(this.config, (meter, readings) => this.feed.publish(meter, readings)).finally(() => {
      this.opening = undefined;
    });
    this.session = await this.opening;
    return this.session;
  }

  /**
   * Names the line, meter and time of a row that COPY refused because its time was taken, by
   * an earlier batch or a stored reading; a repeat within a batch never reaches COPY.
   */
  private async takenTime(
    error: unknown,
    lines: CopyLines,
    meters: Map<string, { id: number; wasEmpty: boolean }>,
  ): Promise<DuplicateTimeError | undefined> {
    const conflict = copyConflict(error);
    const line = conflict === undefined ? undefined : lines.lineOf(conflict.row);
    const meter = [...meters].find(([, { id }]) => id === conflict?.meter);
    if (conflict === undefined || line === undefined || meter === undefined) return undefined;
    // PostgreSQL wrote the time in its own form; it reads it back, exactly, as milliseconds.
    // Should that fail, the import still fails with PostgreSQL's own error.
    const rows = await this.pool
      .query<[Millis]>({ ...timeQuery, values: [conflict.timeText], rowMode: "array" })
      .then((result) => result.rows)
      .catch(() => undefined);
    if (rows === undefined) return undefined;
    const [name, { wasEmpty }] = meter;
    const where = wasEmpty ? "appears twice: first earlier in the file" : "is already stored (or appears earlier in the file)";
    return new DuplicateTimeError(line, name, Number(rows[0][0]), where);
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>, end: "COMMIT" | "ROLLBACK" = "COMMIT"): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      // A write acknowledged is a write on disk, whatever the database's or role's default says.
      await client.query("BEGIN; SET LOCAL synchronous_commit = on");
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

function meterOf([name, count, firstTime, lastTime, unit, timeZone]: MeterRow): Meter {
  return {
    name,
    count: Number(count),
    firstTime: firstTime === null ? undefined : Number(firstTime),
    lastTime: lastTime === null ? undefined : Number(lastTime),
    unit,
    timeZone,
  };
}

function readingColumns(readings: Reading[]): [times: string[], values: (number | null)[]] {
  return [readings.map((reading) => timestamptzText(reading.time)), readings.map((reading) => reading.value)];
}

/** One INSERT cannot store a time twice, so a request's repeated times wait for the walk. */
function firstOfEachTime(readings: Reading[]): Reading[] {
  const seen = new Set<number>();
  return readings.filter((reading) => !seen.has(reading.time) && seen.add(reading.time));
}

/** A meter's first row in a batch whose time an earlier row of the meter has, naming both lines. */
function repeatIn(meter: string, rows: MeterReading[]): { index: number; error: DuplicateTimeError } | undefined {
  const lineByTime = new Map<number, number>();
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index];
    const firstLine = lineByTime.get(row.time);
    if (firstLine !== undefined) return { index, error: new DuplicateTimeError(row.line, meter, row.time, `appears twice: first on line ${firstLine}`) };
    lineByTime.set(row.time, row.line);
  }
  return undefined;
}

/** Node reports a refused connection to a name with several addresses as one error per address. */
function openFailureReason(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") return error.errors.map(openFailureReason).join("; ");
  return error instanceof Error ? error.message : String(error);
}

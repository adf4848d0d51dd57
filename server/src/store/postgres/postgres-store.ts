import pg from "pg";
import type { Bucket } from "../../readings/bucket.js";
import type { Meter } from "../../meters/meter.js";
import { UnknownMeterError } from "../../meters/unknown-meter-error.js";
import type { MeterReading, Reading, Summary, TimeRange } from "../../readings/reading.js";
import { readingsOf, type ReadingColumns } from "../../readings/reading-columns.js";
import type { SpanTallies, TimeSpan } from "../../readings/tally.js";
import { MeterChunkWriter, sealedChunkReadings } from "../chunks/chunk-writer.js";
import { chunksToDecode, emptySpanFigures, tallyChunks, type SpanFigures } from "../chunks/chunk-tally.js";
import { bucketsOf, bucketSpans, earliest, extentOf, latest, summaryOf, wholeRange } from "../chunks/span-answers.js";
import { decodeStoredChunk } from "../chunks/stored-chunk.js";
import { ColumnBatcher, pageColumns } from "../chunks/range-columns.js";
import { duplicateTimeIn } from "../duplicate-time-error.js";
import { groupByMeter } from "../group-by-meter.js";
import { MeterFigures } from "../meter-figures.js";
import { subscriberLock } from "./advisory-locks.js";
import { createRegisterTable, holdLease, readRegisters, saveRegisters } from "./postgres-registers.js";
import type { RegisterState } from "../register-state.js";
import { createTariffTables, PostgresTariffs } from "./postgres-tariffs.js";
import { ReadingConflictError } from "../reading-conflict-error.js";
import { ReadingFeed } from "../reading-feed.js";
import { fencedFollow, type Page } from "./fenced-follow.js";
import { NotificationSession } from "./notification-session.js";
import { PendingChunkWrites, postgresChunks } from "./postgres-chunks.js";
import { CopiedChunks } from "./postgres-copy.js";
import { createSchema } from "./postgres-schema.js";
import { millisOf, timestamptzText } from "./postgres-time.js";
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
// A meter two transactions create at once is created by the first; the second waits for it to
// commit, and then finds nothing here, since the statement's snapshot is older than the meter:
// createdId looks again.
const createMeterQuery = {
  name: "meterusage-create-meter",
  text: `WITH created AS (INSERT INTO meters (name, time_zone) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id)
         SELECT id, true FROM created UNION ALL SELECT id, false FROM meters WHERE name = $1`,
};
const setMeterSettingsQuery = {
  name: "meterusage-set-meter-settings",
  text: "UPDATE meters SET unit = coalesce($1, unit), time_zone = coalesce($2, time_zone) WHERE name = $3",
};
// Additions, not overwrites: two transactions adding to one meter at once each add their own
// part, the second to what the first committed.
const addFiguresQuery = {
  name: "meterusage-add-figures",
  text: `UPDATE meters m SET count = m.count + c.count, first_time = least(m.first_time, c.first), last_time = greatest(m.last_time, c.last)
         FROM unnest($1::int[], $2::bigint[], $3::timestamptz[], $4::timestamptz[]) AS c (id, count, first, last) WHERE m.id = c.id`,
};
// A write holds its meters' rows until it commits, so that two writers to one meter, in one
// process or two, take turns: the second reads the chunks the first wrote. Rows are locked in
// id order, so that two writers to the same meters cannot each wait for the other.
const lockMetersQuery = {
  name: "meterusage-lock-meters",
  text: "SELECT id, count FROM meters WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE",
};
const clearMeterQuery = {
  name: "meterusage-clear-meter",
  text: "UPDATE meters SET count = 0, first_time = NULL, last_time = NULL WHERE id = $1",
};
// NOTIFY inside the storing transaction, not after it: PostgreSQL delivers the notices if and
// when the transaction commits, in commit order, which the followers' fences rely on.
const notifyQuery = {
  name: "meterusage-notify",
  text: `SELECT pg_notify('${readingsChannel}', payload) FROM unnest($1::text[]) AS payload`,
};
/**
 * How long a statement may go unanswered before the store call fails as unavailable: a server
 * that hangs (stopped, or its disk stalled) holds a connection open without a word, and
 * without this a request would wait on it for ever. Long enough for the slowest statement a
 * healthy server runs, including a write waiting its turn behind another process's import of
 * the same meter; a `query_timeout` in the URL (milliseconds) takes its place.
 */
const queryTimeoutMs = 15_000;
/** Chunks a page of readBatches reads at least: each page is a round trip, and 16 chunks are about 7,700 readings. */
const chunksPerPage = 16;

/** Chunks enough for a batch even when the first starts before the range. */
function chunksForBatch(batchSize: number): number {
  return Math.ceil(batchSize / sealedChunkReadings) + 1;
}

type Millis = string;
type MeterRow = [name: string, count: string, firstTime: Millis | null, lastTime: Millis | null, unit: string, timeZone: string];

/**
 * Readings in PostgreSQL, for several service processes on one database: what one process
 * stores, followers in every process hear of, through LISTEN/NOTIFY.
 */
export class PostgresStore implements ReadingStore {
  /** Followers in this process; they hear of the readings every process stores. */
  readonly feed = new ReadingFeed();
  readonly tariffs: PostgresTariffs;
  /** Meter ids never change once given, so a name found once needs no second lookup. */
  private readonly meterIds = new Map<string, number>();
  private session: NotificationSession | undefined;
  private opening: Promise<NotificationSession> | undefined;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly config: pg.ClientConfig,
    private readonly newMeterTimeZone: string,
  ) {
    this.tariffs = new PostgresTariffs(pool);
  }

  /**
   * Connects to the database at a postgres:// URL and creates or upgrades the schema, so a
   * database that cannot be used fails here, with a StoreOpenError that says why.
   */
  static async open(url: string, options: StoreOptions = {}): Promise<PostgresStore> {
    const config: pg.PoolConfig = { connectionString: url, keepAlive: true, connectionTimeoutMillis: 10_000 };
    // The upgrade of an old store may take minutes, so the schema's work has no answer timeout
    // (unless the URL gives one); the store's own calls do.
    const opening = openPool(config);
    try {
      await createSchema(opening);
      await createRegisterTable(opening);
      await createTariffTables(opening);
    } catch (error) {
      throw new StoreOpenError(shownLocation(url), openFailureReason(error));
    } finally {
      await opening.end();
    }
    return new PostgresStore(openPool({ ...config, query_timeout: queryTimeoutMs }), config, options.newMeterTimeZone ?? "UTC");
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

  async tallyColumns(meters: string[], spans: TimeSpan[]): Promise<SpanTallies[]> {
    const ids = await Promise.all(meters.map((meter) => this.requireId(meter)));
    return await this.spanFigures(meters, ids, spans);
  }

  async *readBatches(meter: string, range: TimeRange, batchSize: number): AsyncIterable<Reading[]> {
    for await (const columns of this.readColumns(meter, range, batchSize)) yield readingsOf(columns);
  }

  async *readColumns(meter: string, range: TimeRange, batchSize: number): AsyncIterable<ReadingColumns> {
    const id = await this.requireId(meter);
    const batcher = new ColumnBatcher(batchSize);
    for await (const { columns } of this.columnPages(meter, id, range, Math.max(chunksPerPage, chunksForBatch(batchSize)), batcher)) yield* batcher.add(columns);
    const rest = batcher.rest();
    if (rest.times.length > 0) yield rest;
  }

  async *follow(meter: string, range: TimeRange, batchSize: number, options: FollowOptions): AsyncIterable<Reading[]> {
    const id = await this.requireId(meter);
    const session = await this.listening();
    // Pages of about a batch: a follower reads the next page only once it has taken the last,
    // so what is stored meanwhile reaches it by the page rather than live, in time order.
    const pages = (r: TimeRange, size: number) => this.pages(meter, id, r, chunksForBatch(size));
    yield* fencedFollow({ pages, feed: this.feed, session }, meter, range, batchSize, options);
  }

  /**
   * Reads `limit` chunks at a time by keyset, one short statement a page, rather than through a
   * cursor: a cursor would hold a pooled connection and an open transaction for as long as a
   * slow client reads. Every page but the last holds a reading, as its second chunk starts
   * inside the range.
   */
  private async *pages(meter: string, id: number, range: TimeRange, limit: number): AsyncGenerator<Page> {
    for await (const { columns, isLast } of this.columnPages(meter, id, range, limit)) yield { readings: readingsOf(columns), isLast };
  }

  /**
   * Reads `limit` chunks at a time by keyset, one short statement a page, rather than through a
   * cursor: a cursor would hold a pooled connection and an open transaction for as long as a
   * slow client reads. Every page but the last holds a reading, as its second chunk starts
   * inside the range. Each page is decoded behind `batcher`'s leftover, when there is one.
   */
  private async *columnPages(meter: string, id: number, range: TimeRange, limit: number, batcher?: ColumnBatcher): AsyncGenerator<{ columns: ReadingColumns; isLast: boolean }> {
    const end = range.end ?? latest;
    let from = range.start ?? earliest;
    for (;;) {
      const page = await postgresChunks.page(this.pool, id, from, end, limit);
      const chunks = page.map(([startText, , bytes]) => ({ start: Number(startText), key: Number(startText), bytes }));
      const columns = pageColumns(chunks, meter, { start: from, end }, batcher?.leftover());
      const isLast = page.length < limit;
      yield { columns, isLast };
      if (isLast) return;
      from = columns.times[columns.times.length - 1] + 1;
    }
  }

  async summarize(meter: string, range: TimeRange): Promise<Summary> {
    const [figures] = await this.spanFigures([meter], [await this.requireId(meter)], [wholeRange(range)]);
    return summaryOf(figures);
  }

  async extent(meter: string, range: TimeRange): Promise<Extent> {
    const [figures] = await this.spanFigures([meter], [await this.requireId(meter)], [wholeRange(range)]);
    return extentOf(figures);
  }

  async bucketize(meter: string, range: Required<TimeRange>, width: number): Promise<Bucket[]> {
    const spans = bucketSpans(range, width);
    const [figures] = await this.spanFigures([meter], [await this.requireId(meter)], spans);
    return bucketsOf(spans, figures);
  }

  /**
   * Meters' readings added up over each span, from the chunks' figures and the chunks the
   * spans' edges cut: two statements whatever the number of meters, one listing the chunks,
   * one fetching the bytes of those to decode. Should a write change one of those chunks
   * between the two, it is done again inside one snapshot.
   */
  private async spanFigures(meters: string[], ids: number[], spans: TimeSpan[]): Promise<SpanFigures[]> {
    if (spans.length === 0) return meters.map(() => emptySpanFigures(0));
    return (
      (await this.spanFiguresFrom(this.pool, meters, ids, spans)) ??
      (await this.inSnapshot(async (client) => (await this.spanFiguresFrom(client, meters, ids, spans))!))
    );
  }

  /** As spanFigures; undefined when a chunk to decode changed after it was listed. */
  private async spanFiguresFrom(client: pg.Pool | pg.PoolClient, meters: string[], ids: number[], spans: TimeSpan[]): Promise<SpanFigures[] | undefined> {
    const listed = await postgresChunks.listed(client, ids, spans[0].start, spans[spans.length - 1].end);
    const toDecode = listed.flatMap((chunks, index) => chunksToDecode(chunks, spans).map((chunk) => ({ meter: ids[index], chunk })));
    const bytes = await postgresChunks.bytes(client, toDecode);
    if (bytes === undefined) return undefined;
    return listed.map((chunks, index) =>
      tallyChunks(chunks, spans, meters[index], (chunk) => bytes.get(`${ids[index]} ${chunk.start}`)!),
    );
  }

  /**
   * Builds the chunks in memory and sends them by COPY, in one transaction; the rows of a new
   * or emptied meter need no look-up at all, and a time another chunk owns (a file out of order,
   * or a meter that holds readings already) is looked up after what is held of that meter has
   * been written. `replace` deletes rather than truncates: TRUNCATE would lock out every
   * reader until the import ends. Each meter's row stays locked until the import ends, as an
   * append's does. A taken time is a DuplicateTimeError naming its line, and the earlier line
   * of the same batch that took it. Imports tell no follower: they are bulk loads, not live
   * readings.
   */
  async importReadings(batches: AsyncIterable<MeterReading[]>, options: ImportOptions = {}): Promise<ImportResult> {
    const work = async (client: pg.PoolClient): Promise<ImportResult> => {
      // Importers into an empty store take turns, so that the second sees what the first stored.
      if (options.onlyIntoEmpty) await client.query("LOCK TABLE meters IN SHARE ROW EXCLUSIVE MODE");
      if (options.onlyIntoEmpty && (await this.countIn(client)) > 0) return { stored: 0, removed: 0, skipped: true };
      const meters = new Map<string, ImportedMeter>();
      const copied = new CopiedChunks();
      const figures = new MeterFigures();
      let stored = 0;
      let removed = 0;
      for await (const batch of batches) {
        for (const [name, rows] of groupByMeter(batch)) {
          let meter = meters.get(name);
          if (meter === undefined) {
            const { id, created } = await this.createdId(client, name);
            const [[, held]] = await this.lockMeters(client, [id]);
            if (options.replace && held > 0) {
              removed += held;
              await postgresChunks.removeMeter(client, id);
              await client.query({ ...clearMeterQuery, values: [id] });
            }
            meter = { id, writer: new MeterChunkWriter(name), wasEmpty: created || options.replace === true, holdsChunks: held > 0 && !options.replace };
            meters.set(name, meter);
          }
          const { id, writer, wasEmpty } = meter;
          const flush = () => {
            const writes = writer.flush();
            copied.add(id, writes);
            if (writes.length > 0) meter.holdsChunks = true;
          };
          for (let i = 0; i < rows.length; i++) {
            const { time, value } = rows[i];
            if (!writer.covers(time)) {
              flush();
              let owner;
              if (meter.holdsChunks) {
                await copied.applyFor(client, id);
                owner = await postgresChunks.owner(client, id, time);
              }
              writer.open(owner, time);
            }
            if (!writer.add(time, value)) throw duplicateTimeIn(name, rows, 0, i, wasEmpty);
            if (writer.isFullTail) flush();
          }
          figures.add(id, rows);
          stored += rows.length;
        }
        if (copied.isFull) await copied.apply(client);
      }
      for (const { id, writer } of meters.values()) copied.add(id, writer.flush());
      await copied.apply(client);
      await this.addFigures(client, figures);
      for (const [meter, settings] of (await options.meterSettings?.()) ?? []) {
        if (meters.has(meter)) await client.query({ ...setMeterSettingsQuery, values: [settings.unit ?? null, settings.timeZone ?? null, meter] });
      }
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
      const ids: number[] = [];
      for (const { meter } of batches) {
        const { id, created } = await this.createdId(client, meter);
        const settings = options.meterSettings?.get(meter) ?? (created ? options.newMeterSettings?.get(meter) : undefined);
        if (settings) await client.query({ ...setMeterSettingsQuery, values: [settings.unit ?? null, settings.timeZone ?? null, meter] });
        ids.push(id);
      }
      await this.lockMeters(client, ids);
      const pending = new PendingChunkWrites();
      let stored = 0;
      for (const [index, { meter, readings }] of batches.entries()) {
        const id = ids[index];
        const fresh = await this.appendNew(client, pending, meter, id, readings);
        // Written before the next meter's look-ups, in case the request names this meter again.
        await pending.apply(client);
        figures.add(id, fresh);
        stored += fresh.length;
        if (fresh.length > 0) await client.query({ ...notifyQuery, values: [readingPayloads(meter, fresh)] });
      }
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

  /**
   * Adds a meter's readings whose times it does not hold yet to its chunks, in time order, so
   * that each chunk is opened, changed and encoded once; a held time must hold the same value.
   * The writes wait in `pending`: readings in time order never look up a chunk that an earlier
   * write of the same walk changed.
   */
  private async appendNew(client: pg.PoolClient, pending: PendingChunkWrites, meter: string, id: number, readings: Reading[]): Promise<Reading[]> {
    const writer = new MeterChunkWriter(meter);
    const fresh: Reading[] = [];
    for (const reading of [...readings].sort((a, b) => a.time - b.time)) {
      if (!writer.covers(reading.time)) {
        pending.add(id, writer.flush());
        writer.open(await postgresChunks.owner(client, id, reading.time), reading.time);
      }
      if (writer.add(reading.time, reading.value)) {
        fresh.push(reading);
        continue;
      }
      const stored = writer.storedValue(reading.time);
      if (stored !== reading.value) throw new ReadingConflictError(meter, reading.time, stored, reading.value);
    }
    pending.add(id, writer.flush());
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
    if (rows.length > 0) return { id: rows[0][0], created: rows[0][1] };
    const found = await client.query<[number]>({ ...meterIdQuery, values: [meter], rowMode: "array" });
    return { id: found.rows[0][0], created: false };
  }

  /** Locks the meters' rows until the transaction ends, answering each one's count of readings, in id order. */
  private async lockMeters(client: pg.PoolClient, ids: number[]): Promise<[id: number, count: number][]> {
    const { rows } = await client.query<[number, string]>({ ...lockMetersQuery, values: [ids], rowMode: "array" });
    return rows.map(([id, count]) => [id, Number(count)]);
  }

  private async countIn(client: pg.PoolClient): Promise<number> {
    const { rows } = await client.query<[string]>({ ...countQuery, rowMode: "array" });
    return Number(rows[0][0]);
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

  /** Runs reads in one snapshot of the database. */
  private async inSnapshot<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return await this.inTransaction(work, "COMMIT", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  private async inTransaction<T>(
    work: (client: pg.PoolClient) => Promise<T>,
    end: "COMMIT" | "ROLLBACK" = "COMMIT",
    // A write acknowledged is a write on disk, whatever the database's or role's default says.
    begin = "BEGIN; SET LOCAL synchronous_commit = on",
  ): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query(end);
      return result;
    } catch (error) {
      // A statement still unanswered holds the connection: a ROLLBACK would wait behind it.
      if (isUnanswered(error)) broken = true;
      else await client.query("ROLLBACK").catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** A meter an import writes: its id, its chunk writer, whether it held nothing before, and whether the table holds chunks of it. */
interface ImportedMeter {
  id: number;
  writer: MeterChunkWriter;
  wasEmpty: boolean;
  holdsChunks: boolean;
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

function openPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  // The pool drops an idle connection that breaks and opens another when one is needed;
  // without a listener, the error event would end the process.
  pool.on("error", () => {});
  // So would a connection's own error event when the server goes away under a checked-out
  // or just-released connection: its query has failed already, and says so.
  pool.on("connect", (client) => client.on("error", () => {}));
  return pool;
}

/** node-postgres's error for a statement that got no answer within query_timeout. */
function isUnanswered(error: unknown): boolean {
  return error instanceof Error && error.message === "Query read timeout";
}

/** Node reports a refused connection to a name with several addresses as one error per address. */
function openFailureReason(error: unknown): string {
  if (error instanceof AggregateError && error.message === "") return error.errors.map(openFailureReason).join("; ");
  return error instanceof Error ? error.message : String(error);
}

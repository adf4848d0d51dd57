import type Database from "better-sqlite3";
import { UnknownMeterError } from "../../meters/unknown-meter-error.js";
import type { TimeSpan } from "../../readings/tally.js";
import type { Price, Tariff } from "../../tariffs/tariff.js";
import { checkPriceOverlaps, pricesToPut, reachOf } from "../../tariffs/price-overlaps.js";
import type { TariffStore } from "../../tariffs/tariff-store.js";
import { UnknownTariffError } from "../../tariffs/unknown-tariff-error.js";
import { tariffOfRow, versionsText } from "../tariff-rows.js";

type TariffRow = [name: string, currency: string, timeZone: string, versions: string];
type PriceRow = [start: number, end: number, price: number];

const rowsPerInsert = 256;
// A dashboard asks for the same tariff's prices over the same range again and again (a year
// of half-hourly prices takes longer to read than the readings they price), and every usage
// answer asks which meters have a tariff.
const mostCached = 16;

/**
 * Tariffs, their versions (JSON in a column: they are read and written whole), price series
 * and which meter each prices, in tables of their own beside the readings. Created if missing
 * every time a store opens, so a store of any version gains them without an upgrade step.
 */
export function createTariffTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS tariffs (
      name TEXT PRIMARY KEY,
      currency TEXT NOT NULL,
      time_zone TEXT NOT NULL,
      versions TEXT NOT NULL
    ) STRICT;
    CREATE TABLE IF NOT EXISTS tariff_prices (
      tariff TEXT NOT NULL,
      start_time INTEGER NOT NULL,  -- epoch milliseconds, UTC
      end_time INTEGER NOT NULL,
      price REAL NOT NULL,
      PRIMARY KEY (tariff, start_time)
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS meter_tariffs (
      meter TEXT PRIMARY KEY,
      tariff TEXT NOT NULL
    ) STRICT;
  `);
}

export class SqliteTariffs implements TariffStore {
  private readonly statements;
  private readonly insertPrices: Database.Statement<(string | number)[]>;
  private readonly insertPrice: Database.Statement<(string | number)[]>;
  private readonly dataVersion: Database.Statement<[], number>;
  /** Answers read, by question, while no connection has written since. */
  private readonly cache = new Map<string, Price[] | Map<string, string>>();
  private cachedAtVersion = -1;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      putTariff: db.prepare<[string, string, string, string]>(
        "INSERT INTO tariffs (name, currency, time_zone, versions) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET currency = excluded.currency, time_zone = excluded.time_zone, versions = excluded.versions",
      ),
      tariffs: db.prepare<[], TariffRow>("SELECT name, currency, time_zone, versions FROM tariffs ORDER BY name").raw(),
      tariff: db.prepare<[string], TariffRow>("SELECT name, currency, time_zone, versions FROM tariffs WHERE name = ?").raw(),
      tariffExists: db.prepare<[string], number>("SELECT 1 FROM tariffs WHERE name = ?").pluck(),
      meterExists: db.prepare<[string], number>("SELECT 1 FROM meters WHERE name = ?").pluck(),
      prices: db
        .prepare<{ tariff: string; start: number; end: number }, PriceRow>(
          `SELECT start_time, end_time, price FROM tariff_prices
           WHERE tariff = @tariff AND start_time < @end
             AND start_time >= coalesce((SELECT max(start_time) FROM tariff_prices WHERE tariff = @tariff AND start_time <= @start), @start)
           ORDER BY start_time`,
        )
        .raw(),
      overlapping: db
        .prepare<{ tariff: string; start: number; end: number }, PriceRow>(
          "SELECT start_time, end_time, price FROM tariff_prices WHERE tariff = @tariff AND start_time < @end AND end_time > @start",
        )
        .raw(),
      assign: db.prepare<[string, string]>("INSERT INTO meter_tariffs (meter, tariff) VALUES (?, ?) ON CONFLICT (meter) DO UPDATE SET tariff = excluded.tariff"),
      unassign: db.prepare<[string]>("DELETE FROM meter_tariffs WHERE meter = ?"),
      meterTariffs: db.prepare<[], [string, string]>("SELECT meter, tariff FROM meter_tariffs").raw(),
    };
    const insert = (rows: number) =>
      db.prepare<(string | number)[]>(
        `INSERT INTO tariff_prices (tariff, start_time, end_time, price) VALUES ${Array(rows).fill("(?, ?, ?, ?)").join(", ")}
         ON CONFLICT (tariff, start_time) DO UPDATE SET end_time = excluded.end_time, price = excluded.price`,
      );
    this.insertPrices = insert(rowsPerInsert);
    this.insertPrice = insert(1);
    this.dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
  }

  async putTariff(tariff: Tariff): Promise<void> {
    this.cache.clear();
    this.statements.putTariff.run(tariff.name, tariff.currency, tariff.timeZone, versionsText(tariff));
  }

  async tariffs(): Promise<Tariff[]> {
    return this.statements.tariffs.all().map((row) => tariffOfRow(...row));
  }

  async tariff(name: string): Promise<Tariff | undefined> {
    const row = this.statements.tariff.get(name);
    return row === undefined ? undefined : tariffOfRow(...row);
  }

  async putPrices(tariff: string, prices: Price[]): Promise<number> {
    this.cache.clear();
    this.db.transaction(() => {
      if (this.statements.tariffExists.get(tariff) === undefined) throw new UnknownTariffError(tariff);
      const rows = pricesToPut(prices);
      if (rows.length === 0) return;
      checkPriceOverlaps(rows, this.statements.overlapping.all({ tariff, ...reachOf(rows) }).map(([start, end, price]) => ({ start, end, price })));
      const whole = rows.length - (rows.length % rowsPerInsert);
      for (let at = 0; at < whole; at += rowsPerInsert) this.insertPrices.run(...priceValues(tariff, rows.slice(at, at + rowsPerInsert)));
      for (const price of rows.slice(whole)) this.insertPrice.run(...priceValues(tariff, [price]));
    })();
    return prices.length;
  }

  /** The same array for the same question until the database changes: callers do not change it. */
  async prices(tariff: string, span: TimeSpan): Promise<Price[]> {
    return this.cached(`prices ${tariff} ${span.start} ${span.end}`, () =>
      this.statements.prices.all({ tariff, start: span.start, end: span.end }).map(([start, end, price]) => ({ start, end, price })),
    );
  }

  async setMeterTariff(meter: string, tariff: string): Promise<void> {
    this.cache.clear();
    this.db.transaction(() => {
      if (this.statements.meterExists.get(meter) === undefined) throw new UnknownMeterError(meter);
      if (tariff === "") return void this.statements.unassign.run(meter);
      if (this.statements.tariffExists.get(tariff) === undefined) throw new UnknownTariffError(tariff);
      this.statements.assign.run(meter, tariff);
    })();
  }

  /** The same map until the database changes: callers do not change it. */
  async meterTariffs(): Promise<Map<string, string>> {
    return this.cached("meter tariffs", () => new Map(this.statements.meterTariffs.all()));
  }

  private cached<T extends Price[] | Map<string, string>>(question: string, read: () => T): T {
    // data_version changes when another connection commits; this one's writes empty the cache,
    // and nothing read inside a transaction, which may yet roll back, is kept.
    if (this.db.inTransaction) return read();
    const version = this.dataVersion.get()!;
    if (version !== this.cachedAtVersion || this.cache.size >= mostCached) {
      this.cache.clear();
      this.cachedAtVersion = version;
    }
    let answer = this.cache.get(question) as T | undefined;
    if (answer === undefined) {
      answer = read();
      this.cache.set(question, answer);
    }
    return answer;
  }
}

function priceValues(tariff: string, prices: Price[]): (string | number)[] {
  return prices.flatMap(({ start, end, price }) => [tariff, start, end, price]);
}


import type pg from "pg";
import { UnknownMeterError } from "../../meters/unknown-meter-error.js";
import type { TimeSpan } from "../../readings/tally.js";
import type { Price, Tariff } from "../../tariffs/tariff.js";
import { checkPriceOverlaps, pricesToPut, reachOf } from "../../tariffs/price-overlaps.js";
import type { TariffStore } from "../../tariffs/tariff-store.js";
import { UnknownTariffError } from "../../tariffs/unknown-tariff-error.js";
import { tariffOfRow, versionsText } from "../tariff-rows.js";
import { createSideTables } from "./postgres-side-tables.js";
import { inTransaction } from "./postgres-transaction.js";
import { millisOf, timestamptzText } from "./postgres-time.js";

type TariffRow = [name: string, currency: string, timeZone: string, versions: string];

/**
 * Tariffs, their versions (JSON in a column: read and written whole), price series and which
 * meter each prices, in tables of their own beside the readings, shared by every process on
 * the database. Created if missing every time a store opens.
 */
export async function createTariffTables(pool: pg.Pool): Promise<void> {
  await createSideTables(pool, `
    CREATE TABLE IF NOT EXISTS tariffs (
      name text PRIMARY KEY,
      currency text NOT NULL,
      time_zone text NOT NULL,
      versions text NOT NULL
    );
    CREATE TABLE IF NOT EXISTS tariff_prices (
      tariff text NOT NULL,
      start_time timestamptz NOT NULL,
      end_time timestamptz NOT NULL,
      price double precision NOT NULL,
      PRIMARY KEY (tariff, start_time)
    );
    CREATE TABLE IF NOT EXISTS meter_tariffs (
      meter text PRIMARY KEY,
      tariff text NOT NULL
    );
  `);
}

const tariffColumns = "SELECT name, currency, time_zone, versions FROM tariffs";
const pricesQuery = `
  SELECT ${millisOf("start_time")}, ${millisOf("end_time")}, price FROM tariff_prices
  WHERE tariff = $1 AND start_time < $3::timestamptz
    AND start_time >= coalesce((SELECT max(start_time) FROM tariff_prices WHERE tariff = $1 AND start_time <= $2::timestamptz), $2::timestamptz)
  ORDER BY start_time`;

export class PostgresTariffs implements TariffStore {
  constructor(private readonly pool: pg.Pool) {}

  async putTariff(tariff: Tariff): Promise<void> {
    await this.pool.query(
      `INSERT INTO tariffs (name, currency, time_zone, versions) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET currency = excluded.currency, time_zone = excluded.time_zone, versions = excluded.versions`,
      [tariff.name, tariff.currency, tariff.timeZone, versionsText(tariff)],
    );
  }

  async tariffs(): Promise<Tariff[]> {
    const { rows } = await this.pool.query<TariffRow>({ text: `${tariffColumns} ORDER BY name`, rowMode: "array" });
    return rows.map((row) => tariffOfRow(...row));
  }

  async tariff(name: string): Promise<Tariff | undefined> {
    const { rows } = await this.pool.query<TariffRow>({ text: `${tariffColumns} WHERE name = $1`, values: [name], rowMode: "array" });
    return rows.length === 0 ? undefined : tariffOfRow(...rows[0]);
  }

  async putPrices(tariff: string, prices: Price[]): Promise<number> {
    const rows = pricesToPut(prices);
    await inTransaction(this.pool, async (client) => {
      // FOR UPDATE: puts of one tariff's prices take turns, so that two processes cannot both
      // find no overlap and store prices that overlap each other.
      const found = await client.query("SELECT 1 FROM tariffs WHERE name = $1 FOR UPDATE", [tariff]);
      if (found.rowCount === 0) throw new UnknownTariffError(tariff);
      if (rows.length === 0) return;
      const { start, end } = reachOf(rows);
      const overlapping = await client.query<[string, string, number]>({
        text: `SELECT ${millisOf("start_time")}, ${millisOf("end_time")}, price FROM tariff_prices
               WHERE tariff = $1 AND start_time < $3::timestamptz AND end_time > $2::timestamptz`,
        values: [tariff, timestamptzText(start), timestamptzText(end)],
        rowMode: "array",
      });
      checkPriceOverlaps(rows, overlapping.rows.map(([from, to, price]) => ({ start: Number(from), end: Number(to), price })));
      await client.query(
        `INSERT INTO tariff_prices (tariff, start_time, end_time, price)
         SELECT $1, s, e, p FROM unnest($2::timestamptz[], $3::timestamptz[], $4::float8[]) AS u(s, e, p)
         ON CONFLICT (tariff, start_time) DO UPDATE SET end_time = excluded.end_time, price = excluded.price`,
        [tariff, rows.map(({ start }) => timestamptzText(start)), rows.map(({ end }) => timestamptzText(end)), rows.map(({ price }) => price)],
      );
    });
    return prices.length;
  }

  async prices(tariff: string, span: TimeSpan): Promise<Price[]> {
    const { rows } = await this.pool.query<[string, string, number]>({
      text: pricesQuery,
      values: [tariff, timestamptzText(span.start), timestamptzText(span.end)],
      rowMode: "array",
    });
    return rows.map(([start, end, price]) => ({ start: Number(start), end: Number(end), price }));
  }

  async setMeterTariff(meter: string, tariff: string): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const meterFound = await client.query("SELECT 1 FROM meters WHERE name = $1", [meter]);
      if (meterFound.rowCount === 0) throw new UnknownMeterError(meter);
      if (tariff === "") return void (await client.query("DELETE FROM meter_tariffs WHERE meter = $1", [meter]));
      const tariffFound = await client.query("SELECT 1 FROM tariffs WHERE name = $1 FOR SHARE", [tariff]);
      if (tariffFound.rowCount === 0) throw new UnknownTariffError(tariff);
      await client.query("INSERT INTO meter_tariffs (meter, tariff) VALUES ($1, $2) ON CONFLICT (meter) DO UPDATE SET tariff = excluded.tariff", [meter, tariff]);
    });
  }

  async meterTariffs(): Promise<Map<string, string>> {
    const { rows } = await this.pool.query<[string, string]>({ text: "SELECT meter, tariff FROM meter_tariffs", rowMode: "array" });
    return new Map(rows);
  }
}

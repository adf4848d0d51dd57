import type { TimeSpan } from "../readings/tally.js";
import type { Price, Tariff } from "./tariff.js";

/**
 * Where tariffs, their price series and which meter each prices are kept, beside the
 * readings in the same database, in tables of their own.
 */
export interface TariffStore {
  /** Stores a checked tariff, replacing the whole of one with the same name; its prices stay. */
  putTariff(tariff: Tariff): Promise<void>;

  /** Every tariff, ordered by name. */
  tariffs(): Promise<Tariff[]>;

  tariff(name: string): Promise<Tariff | undefined>;

  /**
   * Stores checked prices of a tariff in one transaction; a price with the start of a stored
   * one replaces it. Throws UnknownTariffError for a tariff the store does not have.
   */
  putPrices(tariff: string, prices: Price[]): Promise<number>;

  /**
   * The prices that may price a time in the span, ordered by start: those starting in it,
   * and the last one starting at or before its start.
   */
  prices(tariff: string, span: TimeSpan): Promise<Price[]>;

  /**
   * Prices a meter's readings by a tariff, or by none when `tariff` is empty. Throws
   * UnknownMeterError or UnknownTariffError for a name the store does not have.
   */
  setMeterTariff(meter: string, tariff: string): Promise<void>;

  /** Each meter that has a tariff, with the tariff's name. */
  meterTariffs(): Promise<Map<string, string>>;
}

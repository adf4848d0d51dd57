/**
 * A tariff prices a meter's readings: versions, each in force from its validFrom until the
 * next one's, with a standing charge per local day and either rates by local time of day
 * and weekday or, when dynamic, the tariff's price series.
 */
export interface Tariff {
  /** Named as meters are. */
  name: string;
  /** ISO 4217, upper case. */
  currency: string;
  /** The IANA zone its windows, weekdays and standing-charge days are wall-clock times in. */
  timeZone: string;
  /** Ordered by validFrom, no two the same. */
  versions: TariffVersion[];
}

export interface TariffVersion {
  /** Epoch milliseconds. */
  validFrom: number;
  /** Currency units per local day. */
  standingChargePerDay: number;
  /** The first whose window and days hold a reading's local time prices it. */
  rates: Rate[];
  /** Priced by the tariff's price series instead of rates. */
  dynamic: boolean;
}

export interface Rate {
  /** Currency units per unit of the meter. */
  price: number;
  /** "HH:MM", or empty for 00:00. */
  windowStart: string;
  /** "HH:MM" (24:00 allowed), or empty for 24:00; at or before the start, the window wraps past midnight. */
  windowEnd: string;
  /** "mon".."sun"; empty for every day. */
  days: string[];
}

/** One price of a tariff's series, for readings in [start, end). */
export interface Price {
  start: number;
  end: number;
  price: number;
}

export const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

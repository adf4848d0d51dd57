/** One series of readings, with figures every write keeps current so listing meters reads no readings. */
export interface Meter {
  name: string;
  /** Readings stored, missing ones included. */
  count: number;
  firstTime?: number;
  lastTime?: number;
  /** What the values measure, such as kWh; empty when not set. */
  unit: string;
  /** The IANA time zone the meter's calendar periods are read in. */
  timeZone: string;
  /** The tariff that prices its readings, empty for none; set where a listing asks for it. */
  tariff?: string;
}

/**
 * The meter a store upgraded from a single series calls its readings, and the one writes with
 * no meter create in a store that has none: the bundled data's meter.
 */
export const firstMeterName = "meterusage";

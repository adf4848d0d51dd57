/**
 * The third test server (see playwright.config.ts), whose store holds the ten small meters of
 * meters.csv; the live server holds them too, after the bundled meter.
 */
export const metersService = {
  origin: `http://127.0.0.1:${process.env.METERUSAGE_E2E_METERS_PORT}`,
};

/** What meters.csv holds: shop came first, so it is the store's default meter. */
export const meterSet = {
  names: ["flat-1", "flat-2", "flat-3", "flat-4", "flat-5", "flat-6", "flat-7", "flat-8", "garage", "shop"],
  defaultMeter: { name: "shop", count: 24 },
  /** Hourly readings on 2019-01-01, the one at 05:00 missing. */
  flat1: { count: 24, missingTime: "2019-01-01 05:00" },
  /** Every half hour on 2019-01-01. */
  flat2: { count: 48 },
  /** Hourly from 2019-01-01 06:00 to 2019-01-02 05:00. */
  flat3: { count: 24, firstTime: "2019-01-01 06:00" },
};

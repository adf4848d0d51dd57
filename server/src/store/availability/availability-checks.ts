import type { ReadingStore } from "../reading-store.js";
import { probeSqliteWrite } from "../sqlite/sqlite-write-probe.js";
import { isPostgresUrl } from "../store-location.js";
import type { AvailabilityChecks } from "./store-availability.js";

/**
 * How the store at `location` is checked: a cheap read through the store itself, which on
 * PostgreSQL also proves that its pool connects again. An SQLite file is back only once it
 * can be written too, since its reads go on working on a full or read-only disk.
 */
export function availabilityChecks(store: ReadingStore, location?: string): AvailabilityChecks {
  const check = () => store.firstMeter();
  if (location === undefined || isPostgresUrl(location)) return { check, probe: check };
  return {
    check,
    async probe() {
      await check();
      probeSqliteWrite(location);
    },
  };
}

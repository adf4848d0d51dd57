import { checkMeterName } from "../meters/meter-name.js";
import type { Setting } from "./settings.js";

export const dbSetting: Setting = {
  flag: "db",
  env: "METERUSAGE_DB",
  value: "PATH|URL",
  defaultText: "meterusage.db",
  help: "SQLite database file, or a PostgreSQL database as postgres://user:password@host:port/name",
};

export const unitSetting: Setting = { flag: "unit", value: "TEXT", help: "what the values measure, such as kWh" };

export const timeZoneSetting: Setting = {
  flag: "time-zone",
  value: "ZONE",
  help: "the IANA time zone calendar periods are read in, such as Europe/London",
};

export const tariffSetting: Setting = { flag: "tariff", value: "TARIFF", help: 'the stored tariff that prices its readings; "" for none' };

export function databaseLocation(value: string | boolean | undefined): string {
  return typeof value === "string" ? value : "meterusage.db";
}

/** A meter named by a flag (--meter unless told), checked: a bad one is a usage error before any file is read. */
export function meterFlag(value: string | boolean | undefined, flag = "--meter"): string | undefined {
  return typeof value === "string" ? checkMeterName(value, flag) : undefined;
}

import { isMeterName } from "../meters/meter-name.js";
import { UsageError } from "./usage-error.js";
import type { Setting } from "./settings.js";

export const dbSetting: Setting = {
  flag: "db",
  env: "METERUSAGE_DB",
  value: "PATH|URL",
  defaultText: "meterusage.db",
  help: "SQLite database file, or a PostgreSQL database as postgres://user:password@host:port/name",
};

export function databaseLocation(value: string | boolean | undefined): string {
  return typeof value === "string" ? value : "meterusage.db";
}

/** A --meter flag's name, checked: a bad one is a usage error before any file is read. */
export function meterFlag(value: string | boolean | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  if (!isMeterName(value)) throw new UsageError(`--meter ${JSON.stringify(value)} is not a meter name: use 1 to 128 letters, digits or ._:-`);
  return value;
}

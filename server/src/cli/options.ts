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

import type { Setting } from "./settings.js";

export const dbSetting: Setting = {
  flag: "db",
  env: "METERUSAGE_DB",
  value: "PATH",
  defaultText: "meterusage.db",
  help: "SQLite database file",
};

export function databasePath(value: string | boolean | undefined): string {
  return typeof value === "string" ? value : "meterusage.db";
}

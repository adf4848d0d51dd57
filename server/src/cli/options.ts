import { UsageError } from "./usage-error.js";

export const defaultDatabase = "meterusage.db";
export const defaultPort = 8080;

export function databasePath(flag: string | undefined): string {
  return flag ?? process.env.METERUSAGE_DB ?? defaultDatabase;
}

export function portNumber(flag: string | undefined): number {
  const text = flag ?? process.env.PORT;
  if (text === undefined || text === "") return defaultPort;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new UsageError(`the port ${JSON.stringify(text)} is not a number from 0 to 65535`);
  }
  return port;
}

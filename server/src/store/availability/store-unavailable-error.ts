import Database from "better-sqlite3";
import pg from "pg";

/**
 * The store cannot be reached or written just now: PostgreSQL is down or refuses connections,
 * or SQLite's disk is full, read-only or failing. Nothing of the request was stored, and the
 * same request may succeed once the store is back, so clients are told to try again
 * (503 / Unavailable) rather than that something is wrong with what they sent.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super("the store is unavailable (it cannot be reached or written just now): try again shortly", { cause });
    this.name = "StoreUnavailableError";
  }
}

// Node's codes for a peer that cannot be reached, or that went away.
const connectionCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

// PostgreSQL's SQLSTATE classes and codes that say the server, not the request, is the
// problem: connection exceptions (08), insufficient resources such as a full disk or too many
// connections (53), a server shutting down, crashed or starting (57P01-57P03), system errors
// such as I/O (58), and a read-only transaction, as on a standby after a failover (25006).
const postgresClasses = ["08", "53", "58"];
const postgresCodes = new Set(["57P01", "57P02", "57P03", "25006"]);

// node-postgres reports a connection that broke or never opened by these messages alone, without a code.
// ("Connection terminated" alone, or "Client was closed", is the store's own closing.)
const postgresConnectionMessages = [
  /^Connection terminated unexpectedly$/,
  /^Connection terminated due to connection timeout$/,
  /^timeout expired$/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  /^Client has encountered a connection error and is not queryable$/,
];

// SQLite's primary codes for a disk that is full, read-only or failing, a file that cannot be
// opened, and a lock another process holds past the busy timeout. A corrupt file (SQLITE_CORRUPT)
// is not among them: trying again would not help.
const sqliteCodes = ["SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_BUSY", "SQLITE_PROTOCOL"];

/** Whether an error a store threw means the store is unavailable, rather than the request or our code wrong. */
export function isStoreUnreachable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  if (error instanceof AggregateError && error.errors.some((inner) => isStoreUnreachable(inner, depth + 1))) return true;
  const code = (error as { code?: unknown }).code;
  if (error instanceof Database.SqliteError) return sqliteCodes.some((primary) => error.code === primary || error.code.startsWith(`${primary}_`));
  if (error instanceof pg.DatabaseError) {
    return typeof code === "string" && (postgresCodes.has(code) || postgresClasses.includes(code.slice(0, 2)));
  }
  if (typeof code === "string" && connectionCodes.has(code)) return true;
  if (postgresConnectionMessages.some((message) => message.test(error.message))) return true;
  // A follow's listening connection wraps what broke it.
  return isStoreUnreachable(error.cause, depth + 1);
}

import Database from "better-sqlite3";

/**
 * Proves the SQLite file writable now without changing what it holds: on a connection of its
 * own, a write transaction sets the header's user_version to the value it has. SQLite writes
 * and syncs that page like any other commit, so a full disk, a read-only file or a failing
 * one fails the probe as it fails an append, while a read would still succeed.
 */
export function probeSqliteWrite(path: string): void {
  const db = new Database(path, { fileMustExist: true, timeout: 1000 });
  try {
    db.pragma("synchronous = FULL");
    db.exec("BEGIN IMMEDIATE");
    try {
      const version = Number(db.pragma("user_version", { simple: true }));
      db.pragma(`user_version = ${version}`);
      db.exec("COMMIT");
    } finally {
      if (db.inTransaction) db.exec("ROLLBACK");
    }
  } finally {
    db.close();
  }
}

import { PostgresStore } from "./postgres-store.js";
import type { ReadingStore } from "./reading-store.js";
import { SqliteStore } from "./sqlite-store.js";
import { isPostgresUrl } from "./store-location.js";

/** The store at a location: a postgres:// URL opens PostgreSQL, anything else an SQLite file. */
export async function openStore(location: string): Promise<ReadingStore> {
  return isPostgresUrl(location) ? PostgresStore.open(location) : new SqliteStore(location);
}

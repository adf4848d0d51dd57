import { PostgresStore } from "./postgres/postgres-store.js";
import type { ReadingStore, StoreOptions } from "./reading-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";
import { isPostgresUrl } from "./store-location.js";

/** The store at a location: a postgres:// URL opens PostgreSQL, anything else an SQLite file. */
export async function openStore(location: string, options: StoreOptions = {}): Promise<ReadingStore> {
  return isPostgresUrl(location) ? PostgresStore.open(location, options) : new SqliteStore(location, options);
}

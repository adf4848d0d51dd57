import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before } from "node:test";
import { importCsvFile } from "../../src/ingest/import-csv-file.js";
import { bundledCsv } from "../../src/package-paths.js";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import type { ReadingFeed } from "../../src/store/reading-feed.js";
import type { ReadingStore } from "../../src/store/reading-store.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { createTestDatabase, testPostgres } from "./test-postgres.js";
import { temporaryFolder } from "./test-server.js";

/** A store with the feed its followers listen on, which tests watch to prove followers leave. */
export type FollowableStore = ReadingStore & { readonly feed: ReadingFeed };

export interface TestStore {
  store: FollowableStore;
  /** Where it lives: an SQLite file or a postgres:// URL, for another store or process to open. */
  location: string;
  /** Closes the store and removes its file or database. */
  close(): Promise<void>;
}

export interface StoreKind {
  name: "SQLite" | "PostgreSQL";
  /** Why this kind of store cannot be tested here; its suites are then skipped with this reason. */
  skip: string | undefined;
  /** A new, empty store; with `bundled`, holding the bundled meterusage.csv. */
  open(contents?: "bundled"): Promise<TestStore>;
}

const sqlite: StoreKind = {
  name: "SQLite",
  skip: undefined,
  async open(contents) {
    const folder = temporaryFolder();
    const location = join(folder, "readings.db");
    const store = new SqliteStore(location);
    if (contents === "bundled") await importCsvFile(store, bundledCsv);
    return {
      store,
      location,
      async close() {
        await store.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  },
};

function postgres(): StoreKind {
  const cluster = testPostgres();
  return {
    name: "PostgreSQL",
    skip: cluster.skip,
    async open(contents) {
      if (cluster.skip !== undefined) throw new Error(cluster.skip);
      const database = await createTestDatabase(cluster.url);
      const store = await PostgresStore.open(database.url);
      if (contents === "bundled") await importCsvFile(store, bundledCsv);
      return {
        store,
        location: database.url,
        async close() {
          await store.close();
          await database.drop();
        },
      };
    },
  };
}

/** Every kind of store, so that one test of the ReadingStore contract runs on each. */
export function storeKinds(): StoreKind[] {
  return [sqlite, postgres()];
}

/** The PostgreSQL kind alone, for what only PostgreSQL promises: several processes on one database. */
export function postgresKind(): StoreKind {
  return postgres();
}

/** Opens a store of the kind holding the bundled readings before the suite's tests, hands it to `use`, and closes it after them. */
export function bundledStoreForSuite(kind: StoreKind, use: (store: FollowableStore) => void): void {
  let opened: TestStore | undefined;
  before(async () => {
    opened = await kind.open("bundled");
    use(opened.store);
  });
  after(() => opened?.close());
}

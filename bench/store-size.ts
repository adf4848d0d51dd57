import Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import pg from "pg";

export interface StoreSize {
  bytes: number;
  /** Bytes by table, its indexes included; what belongs to no table is under "other". */
  tables: Record<string, number>;
}

/**
 * An SQLite store's file and write-ahead log after a checkpoint, split by table through the
 * dbstat virtual table (better-sqlite3 builds SQLite with it). Other is the schema page and
 * free pages.
 */
export function sqliteStoreSize(path: string): StoreSize {
  const db = new Database(path);
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    const bytes = [path, `${path}-wal`].filter((file) => existsSync(file)).reduce((sum, file) => sum + statSync(file).size, 0);
    const rows = db
      .prepare<[], { table: string; bytes: number }>(
        `SELECT coalesce(s.tbl_name, 'other') AS "table", sum(d.pgsize) AS bytes
         FROM dbstat d LEFT JOIN sqlite_schema s ON s.name = d.name AND s.name <> 'sqlite_schema' GROUP BY 1`,
      )
      .all();
    return withOther(bytes, rows);
  } finally {
    db.close();
  }
}

/** A PostgreSQL store's tables with their indexes and TOAST (pg_total_relation_size); the WAL is the cluster's, not counted. */
export async function postgresStoreSize(url: string): Promise<StoreSize> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ table: string; bytes: string }>(
      `SELECT c.relname AS table, pg_total_relation_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r'`,
    );
    const tables = rows.map(({ table, bytes }) => ({ table, bytes: Number(bytes) }));
    return withOther(
      tables.reduce((sum, { bytes }) => sum + bytes, 0),
      tables,
    );
  } finally {
    await client.end();
  }
}

function withOther(bytes: number, rows: { table: string; bytes: number }[]): StoreSize {
  const tables: Record<string, number> = Object.fromEntries(rows.map(({ table, bytes }) => [table, bytes]));
  tables.other = bytes - rows.filter(({ table }) => table !== "other").reduce((sum, row) => sum + row.bytes, 0);
  return { bytes, tables };
}

/** Where the bytes of a reading go, e.g. "readings 25.1 B (67%), usage_hours 12.2 B (33%), ...". */
export function describeShares(size: StoreSize, readings: number): string {
  return Object.entries(size.tables)
    .filter(([, bytes]) => bytes > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([table, bytes]) => `${table} ${(bytes / readings).toFixed(bytes / readings < 0.1 ? 3 : 1)} B (${((100 * bytes) / size.bytes).toFixed(1)}%)`)
    .join(", ");
}

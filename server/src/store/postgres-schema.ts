import type pg from "pg";

// Any fixed number: the advisory lock only has to be the same in every process.
const schemaLock = 5_837_219;

/**
 * The readings table. The primary key's btree on time is the only index a range needs: range
 * reads walk it in order, and summaries scan just the range's part of it.
 */
const schema = `
  CREATE TABLE IF NOT EXISTS readings (
    time timestamptz PRIMARY KEY,
    value double precision  -- NULL when the meter reported no value
  )`;

/**
 * Creates the table when the database has none. Service processes that start together on an
 * empty database would race on CREATE TABLE IF NOT EXISTS, so they take turns.
 */
export async function createSchema(pool: pg.Pool): Promise<void> {
  // Statements sent together run as one transaction, which holds the lock to its end.
  await pool.query(`SELECT pg_advisory_xact_lock(${schemaLock}); ${schema}`);
}

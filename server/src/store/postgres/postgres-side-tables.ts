import type pg from "pg";
import { inTransaction } from "./postgres-transaction.js";

// Any fixed number other than the schema's: the lock only has to be the same in every process.
const sideTablesLock = 5_837_220;

/**
 * Creates tables that live beside the readings (tariffs, MQTT registers) when missing, in
 * turns under an advisory lock: two processes running CREATE TABLE IF NOT EXISTS at once can
 * both find the table missing, and the second then fails on the table's row type.
 */
export async function createSideTables(pool: pg.Pool, ddl: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${sideTablesLock})`);
    await client.query(ddl);
  });
}

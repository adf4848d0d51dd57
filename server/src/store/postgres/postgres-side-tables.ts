import type pg from "pg";
import { sideTablesLock } from "./advisory-locks.js";
import { inTransaction } from "./postgres-transaction.js";

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

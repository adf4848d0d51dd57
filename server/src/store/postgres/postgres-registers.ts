import { setTimeout as delay } from "node:timers/promises";
import pg from "pg";
import type { RegisterState } from "../register-state.js";
import type { Lease } from "../reading-store.js";
import { createSideTables } from "./postgres-side-tables.js";

/**
 * Where each cumulative register stands, by meter name, in a table of its own that every open
 * creates when missing, so it needs no schema version of its own. Every process reads and
 * writes the same rows; one process at a time subscribes (see holdLease).
 */
export async function createRegisterTable(pool: pg.Pool): Promise<void> {
  await createSideTables(pool, `CREATE TABLE IF NOT EXISTS mqtt_registers (
    meter text PRIMARY KEY,
    time bigint NOT NULL,             -- epoch milliseconds of the newest message
    value double precision NOT NULL,  -- its register value
    interval_start bigint NOT NULL,   -- the first interval not stored yet
    pending double precision NOT NULL,-- the increase inside it so far
    recent double precision[] NOT NULL
  )`);
}

type RegisterRow = [meter: string, time: string, value: number, intervalStart: string, pending: number, recent: number[]];

export async function readRegisters(pool: pg.Pool): Promise<RegisterState[]> {
  const { rows } = await pool.query<RegisterRow>({ text: "SELECT meter, time, value, interval_start, pending, recent FROM mqtt_registers", rowMode: "array" });
  return rows.map(([meter, time, value, intervalStart, pending, recent]) => ({
    meter,
    time: Number(time),
    value,
    intervalStart: Number(intervalStart),
    pending,
    recent,
  }));
}

const saveQuery = {
  name: "meterusage-save-registers",
  text: `INSERT INTO mqtt_registers (meter, time, value, interval_start, pending, recent)
         SELECT meter, time, value, interval_start, pending, ARRAY(SELECT jsonb_array_elements_text(recent)::float8)
         FROM unnest($1::text[], $2::bigint[], $3::float8[], $4::bigint[], $5::float8[], $6::jsonb[]) AS r (meter, time, value, interval_start, pending, recent)
         ON CONFLICT (meter) DO UPDATE SET time = excluded.time, value = excluded.value,
           interval_start = excluded.interval_start, pending = excluded.pending, recent = excluded.recent`,
};

/** In the caller's transaction. */
export async function saveRegisters(client: pg.ClientBase, states: RegisterState[]): Promise<void> {
  if (states.length === 0) return;
  await client.query({
    ...saveQuery,
    values: [
      states.map((s) => s.meter),
      states.map((s) => s.time),
      states.map((s) => s.value),
      states.map((s) => s.intervalStart),
      states.map((s) => s.pending),
      states.map((s) => JSON.stringify(s.recent)),
    ],
  });
}

export const leaseApplicationName = "meterusage-lease";
const pollMs = 2_000;

/**
 * Waits until this process holds the session-level advisory lock `key`, on a connection of its
 * own, then answers a lease that lasts until released or until that connection is lost, which
 * releases the lock for a process standing by. Undefined when the signal aborts first.
 */
export async function holdLease(config: pg.ClientConfig, key: number, signal: AbortSignal): Promise<Lease | undefined> {
  while (!signal.aborted) {
    const client = new pg.Client({ ...config, application_name: leaseApplicationName, keepAlive: true });
    const lost = new AbortController();
    client.on("error", () => lost.abort());
    client.on("end", () => lost.abort());
    try {
      await client.connect();
      while (!signal.aborted && !lost.signal.aborted) {
        const { rows } = await client.query<[boolean]>({ text: "SELECT pg_try_advisory_lock($1)", values: [key], rowMode: "array" });
        if (rows[0][0]) {
          // Keeps the connection's loss noticed even when idle.
          const check = setInterval(() => void client.query("SELECT 1").catch(() => lost.abort()), pollMs);
          lost.signal.addEventListener("abort", () => clearInterval(check), { once: true });
          return {
            lost: lost.signal,
            async release() {
              clearInterval(check);
              await client.end().catch(() => {});
            },
          };
        }
        await sleep(pollMs, signal);
      }
    } catch {
      // The database is away: try again, as a standby would.
      await sleep(pollMs, signal);
    }
    await client.end().catch(() => {});
  }
  return undefined;
}

/** Waits, or less when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => {});
}

import type Database from "better-sqlite3";
import type { RegisterState } from "../register-state.js";

type RegisterRow = [meter: string, time: number, value: number, intervalStart: number, pending: number, recent: string];

/**
 * Where each cumulative register stands, by meter name, in a table of its own that every open
 * creates when missing, so it needs no schema version of its own.
 */
export function createRegisterTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS mqtt_registers (
    meter TEXT PRIMARY KEY,
    time INTEGER NOT NULL,            -- epoch milliseconds of the newest message
    value REAL NOT NULL,              -- its register value
    interval_start INTEGER NOT NULL,  -- the first interval not stored yet
    pending REAL NOT NULL,            -- the increase inside it so far
    recent TEXT NOT NULL              -- JSON list of the last register values
  ) STRICT`);
}

export class SqliteRegisters {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      all: db.prepare<[], RegisterRow>("SELECT meter, time, value, interval_start, pending, recent FROM mqtt_registers").raw(),
      save: db.prepare<RegisterRow>(
        `INSERT INTO mqtt_registers (meter, time, value, interval_start, pending, recent) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (meter) DO UPDATE SET time = excluded.time, value = excluded.value,
           interval_start = excluded.interval_start, pending = excluded.pending, recent = excluded.recent`,
      ),
    };
  }

  all(): RegisterState[] {
    return this.statements.all.all().map(([meter, time, value, intervalStart, pending, recent]) => ({
      meter,
      time,
      value,
      intervalStart,
      pending,
      recent: JSON.parse(recent) as number[],
    }));
  }

  /** In the caller's transaction. */
  save(states: RegisterState[]): void {
    for (const s of states) this.statements.save.run(s.meter, s.time, s.value, s.intervalStart, s.pending, JSON.stringify(s.recent));
  }
}

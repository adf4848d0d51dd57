import pg from "pg";
import type { NumberedReading, Reading } from "../../readings/reading.js";
import { timestamptzText } from "./postgres-time.js";

/** What an import streams its readings into; pg speaks COPY only through pg-copy-streams. */
export const copyStatement = "COPY readings (meter, time, value) FROM STDIN";

/**
 * Readings as rows of COPY's text format: tab between the columns, a newline after each row,
 * \N for a missing value. Neither column needs escaping: a time is digits, "-", ":", "T",
 * ".", "Z" and maybe " BC"; a value is a finite number as JavaScript writes it, which
 * float8 input reads back exactly.
 */
export function copyText(meter: number, readings: Reading[]): string {
  let text = "";
  for (const reading of readings) {
    text += `${meter}\t${timestamptzText(reading.time)}\t${reading.value === null ? "\\N" : reading.value}\n`;
  }
  return text;
}

/**
 * The input line of every row sent to a COPY, for naming the line PostgreSQL refuses, which
 * it knows only by its place in the COPY. Kept as runs of consecutive lines, so that a file
 * costs a few numbers however long it is; only a blank line starts a new run.
 */
export class CopyLines {
  private readonly runStarts: number[] = [];
  private readonly runLines: number[] = [];
  private rows = 0;

  add(readings: NumberedReading[]): void {
    for (const { line } of readings) {
      const last = this.runStarts.length - 1;
      if (last < 0 || line !== this.runLines[last] + (this.rows - this.runStarts[last])) {
        this.runStarts.push(this.rows);
        this.runLines.push(line);
      }
      this.rows++;
    }
  }

  /** The input line of the COPY's row `row`, counting from 1 as PostgreSQL does. */
  lineOf(row: number): number | undefined {
    const index = row - 1;
    if (!Number.isInteger(index) || index < 0 || index >= this.rows) return undefined;
    let low = 0;
    let high = this.runStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.runStarts[middle] <= index) low = middle;
      else high = middle - 1;
    }
    return this.runLines[low] + (index - this.runStarts[low]);
  }
}

/** A COPY row whose time was already taken, as PostgreSQL reported it. */
export interface CopyConflict {
  /** The row's place in the COPY, counting from 1. */
  row: number;
  /** The meter's id. */
  meter: number;
  /** The time as PostgreSQL wrote it, in the session's DateStyle and zone. */
  timeText: string;
}

/**
 * Reads a unique violation of a COPY into readings: the context names the row ("COPY
 * readings, line 5001") and the detail the key ("Key (meter, "time")=(3, 2020-01-01 00:15:00+00)
 * already exists."). Anything else is not one.
 */
export function copyConflict(error: unknown): CopyConflict | undefined {
  if (!(error instanceof pg.DatabaseError) || error.code !== "23505") return undefined;
  const row = /^COPY readings, line (\d+)/.exec(error.where ?? "");
  const key = /^Key \(.*\)=\((\d+), (.*)\) already exists\.$/.exec(error.detail ?? "");
  if (row === null || key === null) return undefined;
  return { row: Number(row[1]), meter: Number(key[1]), timeText: key[2] };
}

import type { TimeRange } from "../../readings/reading.js";

/**
 * How a reading's time, epoch milliseconds, crosses into and out of a timestamptz column.
 * Both ways go through exact decimal text: to_timestamp() and interval arithmetic take double
 * precision seconds, which cannot hold every millisecond of the years 1 to 9999 exactly, and
 * pg's own Date parameters are written in the local zone, whose historic offsets have seconds.
 */

/** A time as timestamptz input, in UTC; PostgreSQL writes the years before 1 with BC. */
export function timestamptzText(time: number): string {
  const iso = new Date(time).toISOString();
  const year = new Date(time).getUTCFullYear();
  // toISOString writes the year as ±YYYYYY outside 0 to 9999; the rest keeps its form.
  const monthOnwards = iso.slice(iso.indexOf("-", 1));
  return year >= 1 ? `${String(year).padStart(4, "0")}${monthOnwards}` : `${String(1 - year).padStart(4, "0")}${monthOnwards} BC`;
}

/**
 * A timestamptz column as epoch milliseconds. extract(epoch ...) is exact numeric since
 * PostgreSQL 14; the bigint cast rounds away the float error of older servers.
 */
export function millisOf(column: string): string {
  return `(extract(epoch FROM ${column}) * 1000)::bigint`;
}

/** A range's bounds as timestamptz input; an absent bound is infinity, which every time lies within. */
export function rangeBoundsText(range: TimeRange): [start: string, end: string] {
  return [
    range.start === undefined ? "-infinity" : timestamptzText(range.start),
    range.end === undefined ? "infinity" : timestamptzText(range.end),
  ];
}

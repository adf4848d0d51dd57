import type { TimeSpan } from "../readings/tally.js";
import { hourMs, hourOf } from "./hour-totals.js";

/** A span's part, tagged with the index of the span it belongs to. */
export type IndexedSpan = [index: number, start: number, end: number];

/**
 * Splits spans into the whole UTC hours the hourly totals answer, and the edges cut off
 * mid-hour (a zone offset by :30 or :45, or a range that starts mid-hour) whose readings
 * must be read one by one.
 */
export function hourSpans(spans: TimeSpan[]): { hours: IndexedSpan[]; edges: IndexedSpan[] } {
  const hours: IndexedSpan[] = [];
  const edges: IndexedSpan[] = [];
  spans.forEach(({ start, end }, index) => {
    const firstHour = hourOf(start) === start ? start : hourOf(start) + hourMs;
    const lastHour = hourOf(end);
    if (firstHour >= lastHour) {
      if (start < end) edges.push([index, start, end]);
      return;
    }
    hours.push([index, firstHour, lastHour]);
    if (start < firstHour) edges.push([index, start, firstHour]);
    if (lastHour < end) edges.push([index, lastHour, end]);
  });
  return { hours, edges };
}

import type { TimeSpan } from "../readings/tally.js";
import { dayMs, hourMs, spanStart } from "./usage-totals.js";

/** A span's part, tagged with the index of the span it belongs to. */
export type IndexedSpan = [index: number, start: number, end: number];

/**
 * Splits spans into the whole UTC days and whole UTC hours the stored totals answer, and the
 * edges cut off mid-hour (a zone offset by :30 or :45, or a range that starts mid-hour) whose
 * readings must be read one by one.
 */
export function usageSpans(spans: TimeSpan[]): { days: IndexedSpan[]; hours: IndexedSpan[]; edges: IndexedSpan[] } {
  const parts = { days: [] as IndexedSpan[], hours: [] as IndexedSpan[], edges: [] as IndexedSpan[] };
  spans.forEach(({ start, end }, index) => {
    const [firstDay, lastDay] = wholeSpans(start, end, dayMs);
    if (firstDay >= lastDay) return splitHours(index, start, end, parts);
    parts.days.push([index, firstDay, lastDay]);
    splitHours(index, start, firstDay, parts);
    splitHours(index, lastDay, end, parts);
  });
  return parts;
}

function splitHours(index: number, start: number, end: number, parts: { hours: IndexedSpan[]; edges: IndexedSpan[] }): void {
  if (start >= end) return;
  const [firstHour, lastHour] = wholeSpans(start, end, hourMs);
  if (firstHour >= lastHour) {
    parts.edges.push([index, start, end]);
    return;
  }
  parts.hours.push([index, firstHour, lastHour]);
  if (start < firstHour) parts.edges.push([index, start, firstHour]);
  if (lastHour < end) parts.edges.push([index, lastHour, end]);
}

/** The first and the end of the whole spans of this width inside [start, end); empty when first >= end. */
function wholeSpans(start: number, end: number, width: number): [first: number, end: number] {
  const first = spanStart(start, width) === start ? start : spanStart(start, width) + width;
  return [first, spanStart(end, width)];
}

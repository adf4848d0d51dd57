import { utcTextWithZone } from "./utc-time.js";

/** A half-open range [start, end) in epoch milliseconds; an absent bound is unbounded, as in the service. */
export interface TimeRange {
  start?: number;
  end?: number;
}

/**
 * Why the service would refuse the range, or undefined when it would not. Checked here first
 * so that the page answers at once, in both modes alike.
 */
export function rangeProblem({ start, end }: TimeRange): string | undefined {
  if (start !== undefined && end !== undefined && start > end) {
    return `The start (${utcTextWithZone(start)}) is after the end (${utcTextWithZone(end)}). Choose a start before the end.`;
  }
  return undefined;
}

const minuteMs = 60_000;

/** [start, end) widened to whole minutes, the steps the range inputs take, and at least one minute long. */
export function wholeMinuteRange(start: number, end: number): TimeRange {
  const from = Math.floor(start / minuteMs) * minuteMs;
  return { start: from, end: Math.max(Math.ceil(end / minuteMs) * minuteMs, from + minuteMs) };
}

import type { Day } from "./usage-calendar.js";
import type { DayRange } from "./usage-range.js";
import type { ZoneClock } from "./usage-zone-clock.js";

/**
 * Readings laid out as local days (rows) by local time of day (columns), one column per
 * reading interval. Each reading is placed by its wall-clock time, so a spring day has an
 * empty hour and an autumn day's repeated hour holds two readings, whose mean the cell shows.
 */
export interface HeatmapGrid {
  days: Day[];
  intervalMinutes: number;
  columns: number;
  /** Row by row; NaN where no reading with a value fell. */
  values: Float64Array;
  /** Readings with a value in each cell. */
  counts: Uint8Array;
  /** Missing readings (no value) in each cell. */
  missing: Uint8Array;
  min: number;
  max: number;
}

// Intervals that divide a day evenly, so that every row has the same columns.
const dayIntervals = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

export function heatmapGrid(range: DayRange, times: number[], values: (number | null)[], clock: ZoneClock): HeatmapGrid {
  const intervalMinutes = readingInterval(times);
  const columns = 1440 / intervalMinutes;
  const days = Array.from({ length: range.end - range.start }, (_, index) => range.start + index);
  const sums = new Float64Array(days.length * columns);
  const counts = new Uint8Array(days.length * columns);
  const missing = new Uint8Array(days.length * columns);
  times.forEach((time, index) => {
    const { day, minute } = clock.wallClock(time);
    if (day < range.start || day >= range.end) return;
    const cell = (day - range.start) * columns + Math.floor(minute / intervalMinutes);
    const value = values[index];
    if (value === null) missing[cell]++;
    else {
      sums[cell] += value;
      counts[cell]++;
    }
  });
  const means = sums.map((sum, cell) => (counts[cell] === 0 ? Number.NaN : sum / counts[cell]));
  const shown = means.filter((value) => !Number.isNaN(value));
  return {
    days,
    intervalMinutes,
    columns,
    values: means,
    counts,
    missing,
    min: shown.reduce((low, value) => Math.min(low, value), Number.POSITIVE_INFINITY),
    max: shown.reduce((high, value) => Math.max(high, value), Number.NEGATIVE_INFINITY),
  };
}

/** The commonest gap between readings, in minutes, as a divisor of a day; an hour when there are too few readings to tell. */
function readingInterval(times: number[]): number {
  const tally = new Map<number, number>();
  for (let index = 1; index < Math.min(times.length, 2000); index++) {
    const minutes = Math.round((times[index] - times[index - 1]) / 60_000);
    tally.set(minutes, (tally.get(minutes) ?? 0) + 1);
  }
  const commonest = [...tally].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 60;
  return dayIntervals.findLast((interval) => interval <= commonest) ?? 1;
}

/** "02:00" for the start of a column. */
export function columnClock(grid: HeatmapGrid, column: number): string {
  const minute = column * grid.intervalMinutes;
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

import { isoWeekday } from "./usage-calendar.js";
import type { HeatmapGrid } from "./usage-heatmap-grid.js";

/** The mean by local time of day, weekdays and weekends apart: a meter's typical day. */
export interface DayProfile {
  /** Minutes since local midnight at each column's start. */
  minutes: number[];
  /** Null where no day of the kind has a reading at that time. */
  weekdays: (number | null)[];
  weekends: (number | null)[];
}

export function dayProfile(grid: HeatmapGrid): DayProfile {
  const minutes = Array.from({ length: grid.columns }, (_, column) => column * grid.intervalMinutes);
  const meanOf = (weekend: boolean) =>
    minutes.map((_, column) => {
      let sum = 0;
      let count = 0;
      grid.days.forEach((day, row) => {
        const value = grid.values[row * grid.columns + column];
        if (isoWeekday(day) >= 6 === weekend && !Number.isNaN(value)) {
          sum += value;
          count++;
        }
      });
      return count === 0 ? null : sum / count;
    });
  return { minutes, weekdays: meanOf(false), weekends: meanOf(true) };
}

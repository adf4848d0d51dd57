import { periodLabel, type PeriodLabel } from "./usage-period-labels.js";
import type { PeriodUsage, Usage } from "./usage-source.js";
import type { UsagePeriod } from "./usage-url-state.js";
import type { ZoneClock } from "./usage-zone-clock.js";

export interface BarSlot extends PeriodLabel {
  start: number;
  end: number;
}

export interface MeterBars {
  meter: string;
  sums: number[];
  /** Readings with a value in each period: 0 is a period with nothing to show, not a zero. */
  counts: number[];
}

/** What the usage chart draws: each period's bar of every meter, and the range before it. */
export interface UsageBars {
  unit: string;
  slots: BarSlot[];
  meters: MeterBars[];
  totals: number[];
  /** The range before, period by period, aligned with `slots` by position. */
  previous?: { slots: BarSlot[]; totals: number[] };
}

export function usageBars(period: UsagePeriod, clock: ZoneClock, current: Usage, previous: Usage | undefined): UsageBars {
  const slots = (periods: PeriodUsage[]) => periods.map(({ start, end }) => ({ start, end, ...periodLabel(period, clock, start, end) }));
  const totals = (usage: Usage) => (usage.total ?? usage.meters[0].periods).map(({ sum }) => sum);
  const units = [...new Set(current.meters.map(({ unit }) => unit))];
  return {
    unit: units.join(" / "),
    slots: slots(current.meters[0].periods),
    meters: current.meters.map(({ meter, periods }) => ({ meter, sums: periods.map(({ sum }) => sum), counts: periods.map(({ count }) => count) })),
    totals: totals(current),
    previous: previous === undefined ? undefined : { slots: slots(previous.meters[0].periods), totals: totals(previous) },
  };
}

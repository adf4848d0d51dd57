import { statisticText } from "./number-format.js";
import { moneyText, pricedMeters } from "./usage-money.js";
import { periodLabel, type PeriodLabel } from "./usage-period-labels.js";
import type { MeterUsage, PeriodUsage, Usage } from "./usage-source.js";
import type { Measure, UsagePeriod } from "./usage-url-state.js";
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
  /** Cost bars: each bar's energy part, drawn under the rest, its standing charge. */
  energyParts?: number[];
  /** What pointing at a period reads beside its value: the cost of energy bars, the energy of cost bars. */
  notes?: string[];
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

/**
 * The bars of the range (and the one before): the meters' energy, or, measuring cost, the cost
 * of the meters with a tariff in one currency, each bar its energy cost under its standing charge.
 */
export function usageBars(period: UsagePeriod, clock: ZoneClock, current: Usage, previous: Usage | undefined, measure: Measure = "energy"): UsageBars {
  const slots = (periods: PeriodUsage[]) => periods.map(({ start, end }) => ({ start, end, ...periodLabel(period, clock, start, end) }));
  const units = [...new Set(current.meters.map(({ unit }) => unit))];
  const unit = units.join(" / ");
  const priced = pricedMeters(current);
  if (measure === "cost" && priced.currency !== undefined) {
    const currency = priced.currency;
    const costTotals = (usage: Usage) => usage.meters[0].periods.map((_, index) => pricedMeters(usage).meters.reduce((sum, { periods }) => sum + (periods[index].cost ?? 0), 0));
    return {
      unit: currency,
      slots: slots(current.meters[0].periods),
      meters: priced.meters.map(({ meter, unit: meterUnit, periods }) => ({
        meter,
        sums: periods.map(({ cost }) => cost ?? 0),
        // A period with readings or a standing charge has a cost to show.
        counts: periods.map(({ count, standingCharge }) => count + (standingCharge ? 1 : 0)),
        energyParts: periods.map(({ energyCost }) => energyCost ?? 0),
        notes: periods.map(({ energyCost = 0, standingCharge = 0, sum }) => `energy ${moneyText(currency, energyCost)} + standing ${moneyText(currency, standingCharge)}, ${statisticText(sum)}${meterUnit ? ` ${meterUnit}` : ""}`),
      })),
      totals: costTotals(current),
      previous: previous === undefined ? undefined : { slots: slots(previous.meters[0].periods), totals: costTotals(previous) },
    };
  }
  const totals = (usage: Usage) => (usage.total ?? usage.meters[0].periods).map(({ sum }) => sum);
  return {
    unit,
    slots: slots(current.meters[0].periods),
    meters: current.meters.map((meter) => ({ meter: meter.meter, sums: meter.periods.map(({ sum }) => sum), counts: meter.periods.map(({ count }) => count), notes: costNotes(meter) })),
    totals: totals(current),
    previous: previous === undefined ? undefined : { slots: slots(previous.meters[0].periods), totals: totals(previous) },
  };
}

function costNotes({ currency, periods }: MeterUsage): string[] | undefined {
  return currency === "" ? undefined : periods.map(({ cost }) => moneyText(currency, cost ?? 0));
}

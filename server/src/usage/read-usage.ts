import type { Meter } from "../meters/meter.js";
import type { TimeRange } from "../readings/reading.js";
import type { SpanTallies, TimeSpan } from "../readings/tally.js";
import type { ReadingStore } from "../store/reading-store.js";
import { calendarPeriods, periodOf } from "./calendar-periods.js";
import type { Period } from "./period.js";
import { addUp, periodUsageAt, type PeriodCosts, type PeriodUsage } from "./period-usage.js";

export interface UsageRequest {
  /** Meters the store has, as it described them to the caller, who checked them; at least one. */
  meters: Meter[];
  range: TimeRange;
  period: Period;
  /** A checked IANA zone; undefined reads the first meter's. */
  timeZone?: string;
}

export interface MeterPeriods {
  meter: string;
  unit: string;
  periods: PeriodUsage[];
  /** The currency of the meter's tariff, when it has one. */
  currency?: string;
}

export interface Usage {
  timeZone: string;
  meters: MeterPeriods[];
  /** The meters together, period by period, when more than one was asked for. */
  total?: PeriodUsage[];
  /** The one currency of every meter's tariff, when each has one. */
  currency?: string;
}

/** The periods of an answer, the meters' and the total's: plain ones, and priced ones, which have costs. */
export function periodCounts(usage: Usage): { plain: number; priced: number } {
  let plain = 0;
  let priced = 0;
  for (const { periods, currency } of usage.meters) {
    if (currency) priced += periods.length;
    else plain += periods.length;
  }
  if (usage.currency) priced += usage.total?.length ?? 0;
  else plain += usage.total?.length ?? 0;
  return { plain, priced };
}

/** A meter's readings added up over each period, in columns, and what each period cost when the meter has a tariff. */
export interface MeterTallies {
  tallies: SpanTallies;
  costs?: PeriodCosts;
}

/** Each meter's readings added up over each period, as ReadingStore.tallyColumns does, and costs where it has them. */
export type TallyPeriods = (meters: string[], periods: TimeSpan[]) => Promise<MeterTallies[]>;

/**
 * The meters' usage per calendar period of the zone: every period that overlaps the range,
 * the first and last clipped to it. An open start begins with the period of the meters' first
 * reading, an open end stops with the period of their last; meters with no readings in an
 * open range have no periods. `tally` adds up the periods (pricing passes one that adds up
 * spans of one price on the way).
 */
export async function readUsage(store: ReadingStore, request: UsageRequest, tally: TallyPeriods = async (meters, periods) => (await store.tallyColumns(meters, periods)).map((tallies) => ({ tallies }))): Promise<Usage> {
  const { meters } = request;
  const timeZone = request.timeZone ?? meters[0].timeZone;
  const firstTimes = meters.flatMap((meter) => (meter.firstTime === undefined ? [] : [meter.firstTime]));
  const lastTimes = meters.flatMap((meter) => (meter.lastTime === undefined ? [] : [meter.lastTime]));
  const start = request.range.start ?? (firstTimes.length > 0 ? periodOf(Math.min(...firstTimes), request.period, timeZone).start : undefined);
  const end = request.range.end ?? (lastTimes.length > 0 ? periodOf(Math.max(...lastTimes), request.period, timeZone).end : undefined);
  const periods = start === undefined || end === undefined ? [] : calendarPeriods({ start, end }, request.period, timeZone);
  const tallies = await tally(meters.map(({ name }) => name), periods);
  const perMeter = tallies.map(({ tallies, costs }) => periods.map((period, index) => periodUsageAt(period, tallies, index, costs)));
  return {
    timeZone,
    meters: meters.map(({ name, unit }, index) => ({ meter: name, unit, periods: perMeter[index] })),
    total: request.meters.length > 1 ? addUp(periods, tallies.map((meter) => meter.tallies)) : undefined,
  };
}

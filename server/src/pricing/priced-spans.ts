import type { TimeSpan } from "../readings/tally.js";
import type { Price } from "../tariffs/tariff.js";
import { offsetStretches } from "../usage/zone-offsets.js";
import { ratePrice, type RateWindow, type VersionInForce } from "./tariff-rates.js";

const day = 86_400_000;

/**
 * Spans of constant price, each inside one period: every reading of a span is priced alike,
 * so what a span's readings add up to, times its price, is what they cost.
 */
export interface PricedSpans {
  /** Sorted, not overlapping, covering the periods. */
  spans: TimeSpan[];
  /** The index of the period each span lies in. */
  periods: number[];
  /** Each span's unit price; undefined where nothing prices a reading. */
  prices: (number | undefined)[];
}

/**
 * Cuts contiguous periods (oldest first) where the price a reading would get changes: at
 * each version's validFrom; for a dynamic version at each price's start and end; for rates at
 * each window's edge and local midnight, in UTC by the zone's offset there, so that a window
 * on the night the clocks go back holds the repeated hour twice. Worked out once for a
 * request, instead of finding each reading's local time.
 */
export function pricedSpans(versions: VersionInForce[], zone: string, prices: Price[], periods: TimeSpan[]): PricedSpans {
  const spans = new SpanWriter(periods);
  if (periods.length === 0) return spans.priced;
  const start = periods[0].start;
  const end = periods[periods.length - 1].end;
  const first = versions.length === 0 ? end : Math.max(start, Math.min(end, versions[0].from));
  spans.add(start, first, undefined);
  for (const version of versions) {
    const from = Math.max(start, version.from);
    const to = Math.min(end, version.to);
    if (from >= to) continue;
    if (version.dynamic) addPriceSeries(prices, from, to, spans);
    else addRates(version.rates, zone, from, to, spans);
  }
  return spans.priced;
}

/** Writes spans of one price in time order, cut at the periods' ends, joining neighbours of one price and period. */
class SpanWriter {
  readonly priced: PricedSpans = { spans: [], periods: [], prices: [] };
  private period = 0;

  constructor(private readonly bounds: TimeSpan[]) {}

  add(start: number, end: number, price: number | undefined): void {
    const { spans, periods, prices } = this.priced;
    for (let from = start; from < end; ) {
      const periodEnd = this.bounds[this.period].end;
      const to = end < periodEnd ? end : periodEnd;
      const last = spans.length - 1;
      if (last >= 0 && periods[last] === this.period && prices[last] === price && spans[last].end === from) spans[last].end = to;
      else {
        spans.push({ start: from, end: to });
        periods.push(this.period);
        prices.push(price);
      }
      if (to < periodEnd) return;
      this.period++;
      from = to;
    }
  }
}

/**
 * [from, to) by the price series (ordered by start), gaps unpriced: a price holds from its
 * start to its end or to the next price's start, whichever comes first, so a later price
 * cuts an earlier one short.
 */
function addPriceSeries(prices: Price[], from: number, to: number, spans: SpanWriter): void {
  let at = from;
  for (let index = lastStartingAtOrBefore(prices, from); index < prices.length && at < to; index++) {
    const price = prices[index];
    const priceEnd = Math.min(price.end, prices[index + 1]?.start ?? Infinity, to);
    if (price.start > at) {
      spans.add(at, Math.min(price.start, to), undefined);
      at = Math.min(price.start, to);
    }
    if (priceEnd > at) {
      spans.add(at, priceEnd, price.price);
      at = priceEnd;
    }
  }
  if (at < to) spans.add(at, to, undefined);
}

/** The index of the last price starting at or before the time, or 0 when none does. */
function lastStartingAtOrBefore(prices: Price[], time: number): number {
  let low = 0;
  let high = prices.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (prices[middle].start <= time) low = middle + 1;
    else high = middle;
  }
  return Math.max(0, low - 1);
}

/**
 * [from, to) by rates: along each stretch of constant offset, local day by local day, cut
 * at every window's start and end, where the first rate that holds the local time can change.
 */
function addRates(rates: RateWindow[], zone: string, from: number, to: number, spans: SpanWriter): void {
  const edges = [...new Set(rates.flatMap((rate) => [rate.start, rate.end]))].filter((edge) => edge > 0 && edge < day).sort((a, b) => a - b);
  edges.push(day);
  for (const { start, end, offset } of offsetStretches(zone, from, to)) {
    for (let time = start; time < end; ) {
      const wallClock = time + offset;
      const localDay = Math.floor(wallClock / day);
      const timeOfDay = wallClock - localDay * day;
      const nextEdge = edges.find((edge) => edge > timeOfDay)!;
      const next = Math.min(end, localDay * day + nextEdge - offset);
      // 1970-01-01 was a Thursday.
      spans.add(time, next, ratePrice(rates, timeOfDay, (((localDay + 4) % 7) + 7) % 7));
      time = next;
    }
  }
}

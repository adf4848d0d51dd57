import type { TimeSpan } from "../readings/tally.js";
import { formatTimestamp } from "../readings/timestamp-text.js";
import { InvalidTariffError } from "./invalid-tariff-error.js";
import type { Price } from "./tariff.js";

/**
 * The prices a put stores: of two with one start the last, as it would be in two calls,
 * ordered by start.
 */
export function pricesToPut(prices: Price[]): Price[] {
  return [...new Map(prices.map((price) => [price.start, price])).values()].sort((a, b) => a.start - b.start);
}

/** From the first start to the last end of prices ordered by start (at least one): where a stored price may overlap them. */
export function reachOf(prices: Price[]): TimeSpan {
  let end = prices[0].end;
  for (const price of prices) if (price.end > end) end = price.end;
  return { start: prices[0].start, end };
}

/**
 * Throws InvalidTariffError naming a price of the put and the price it overlaps, one of the
 * put's own or a stored one, so that no time is left with two prices to choose from.
 * `put` comes from pricesToPut; `stored` holds at least the stored prices that overlap the
 * put's, in any order. A stored price with the start of a put one is replaced by it and
 * overlaps nothing. Stored prices overlapping only each other (a store written before this
 * check) are left as they are: a later one cuts an earlier one short when prices are read.
 */
export function checkPriceOverlaps(put: Price[], stored: Price[]): void {
  const replaced = new Set(put.map(({ start }) => start));
  const prices = [...put.map((price) => ({ price, isStored: false })), ...stored.filter(({ start }) => !replaced.has(start)).map((price) => ({ price, isStored: true }))];
  prices.sort((a, b) => a.price.start - b.price.start);
  // Of the prices before, the one reaching furthest, and the put one reaching furthest: when
  // any earlier price overlaps a later one, so does one of these.
  let furthest: (typeof prices)[number] | undefined;
  let furthestPut: Price | undefined;
  for (const later of prices) {
    const { start, end } = later.price;
    if (!later.isStored && furthest !== undefined && furthest.price.end > start) {
      throw overlapError(furthest.isStored ? later.price : furthest.price, furthest.isStored ? furthest.price : later.price, furthest.isStored);
    }
    if (later.isStored && furthestPut !== undefined && furthestPut.end > start) throw overlapError(furthestPut, later.price, true);
    if (furthest === undefined || end > furthest.price.end) furthest = later;
    if (!later.isStored && (furthestPut === undefined || end > furthestPut.end)) furthestPut = later.price;
  }
}

function overlapError(price: Price, other: Price, otherIsStored: boolean): InvalidTariffError {
  return new InvalidTariffError(
    "prices",
    `the price from ${formatTimestamp(price.start)} to ${formatTimestamp(price.end)} overlaps ${otherIsStored ? "the stored price" : "the price"} from ${formatTimestamp(other.start)} to ${formatTimestamp(other.end)}: each time has one price, so nothing was stored`,
  );
}

import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, it } from "node:test";
import { InvalidTariffError } from "../src/tariffs/invalid-tariff-error.js";
import { checkPriceOverlaps, pricesToPut, reachOf } from "../src/tariffs/price-overlaps.js";
import type { Price } from "../src/tariffs/tariff.js";

const hour = 3_600_000;
// Prices on a small grid of hours, so that starts repeat and prices meet, overlap and nest.
const price = fc.record({ start: fc.integer({ min: 0, max: 12 }), length: fc.integer({ min: 1, max: 5 }), price: fc.integer({ min: -3, max: 3 }) }).map(
  ({ start, length, price }): Price => ({ start: start * hour, end: (start + length) * hour, price }),
);
/** Stored prices as a store holds them: one a start, overlapping each other or not. */
const storedPrices = fc.uniqueArray(price, { selector: ({ start }) => start, maxLength: 8 });

const overlap = (a: Price, b: Price) => a.start < b.end && b.start < a.end;

/** Whether a put price overlaps another put price, or a stored one it does not replace: pair by pair. */
function overlapsByBruteForce(put: Price[], stored: Price[]): boolean {
  const kept = stored.filter(({ start }) => !put.some((price) => price.start === start));
  return put.some((price, index) => put.some((other, otherIndex) => otherIndex !== index && overlap(price, other)) || kept.some((other) => overlap(price, other)));
}

const timeText = (time: number) => new Date(time).toISOString().replace(".000Z", "Z");

describe("prices that overlap", () => {
  it("are refused exactly when brute force finds a put price overlapping another put price or a stored one it does not replace", () => {
    fc.assert(
      fc.property(fc.array(price, { minLength: 1, maxLength: 8 }), storedPrices, (given, stored) => {
        const put = pricesToPut(given);
        const expected = overlapsByBruteForce(put, stored);
        let refusal: unknown;
        try {
          checkPriceOverlaps(put, stored);
        } catch (error) {
          refusal = error;
        }
        assert.equal(refusal !== undefined, expected);
        if (refusal === undefined) return;
        // It names a put price and a price it really overlaps, stored or put.
        assert.ok(refusal instanceof InvalidTariffError);
        const [, from, to, otherKind, otherFrom, otherTo] = /^prices: the price from (\S+) to (\S+) overlaps the (stored )?price from (\S+) to (\S+): /.exec(refusal.message)!;
        const named = put.find(({ start, end }) => timeText(start) === from && timeText(end) === to);
        const others = otherKind === undefined ? put : stored.filter(({ start }) => !put.some((price) => price.start === start));
        const other = others.find(({ start, end }) => timeText(start) === otherFrom && timeText(end) === otherTo);
        assert.ok(named !== undefined && other !== undefined && named !== other && overlap(named, other), refusal.message);
      }),
      { numRuns: 2000 },
    );
  });

  it("of one start keep the last given, ordered by start, and reach from the first start to the furthest end", () => {
    const put = pricesToPut([
      { start: 2 * hour, end: 9 * hour, price: 1 },
      { start: 0, end: hour, price: 2 },
      { start: 2 * hour, end: 3 * hour, price: 3 },
      { start: hour, end: 2 * hour, price: 4 },
    ]);
    assert.deepEqual(put.map(({ start, price }) => [start / hour, price]), [[0, 2], [1, 4], [2, 3]]);
    assert.deepEqual(reachOf([{ start: 0, end: 5 * hour, price: 1 }, { start: hour, end: 2 * hour, price: 1 }]), { start: 0, end: 5 * hour });
  });
});

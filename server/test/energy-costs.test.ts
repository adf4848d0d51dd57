import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, it } from "node:test";
import { periodCosts } from "../src/pricing/energy-costs.js";
import type { Tally } from "../src/readings/tally.js";
import { spanTalliesOf, tallyAt } from "./support/stored-tallies.js";

/** One tally added into another, as usage added up its parts before it kept tallies in columns. */
function addInto(total: Tally, part: Tally): void {
  total.count += part.count;
  total.missingCount += part.missingCount;
  total.sum += part.sum;
  if (part.min !== undefined && (total.min === undefined || part.min < total.min)) total.min = part.min;
  if (part.max !== undefined && (total.max === undefined || part.max > total.max)) total.max = part.max;
}

/** Span by span into tallies grown by addInto: how a meter's period costs were added up before. */
function byAddInto(spanTallies: Tally[], periods: number[], prices: (number | undefined)[], periodCount: number) {
  const costs = {
    tallies: Array.from({ length: periodCount }, (): Tally => ({ count: 0, missingCount: 0, sum: 0 })),
    costs: new Array<number>(periodCount).fill(0),
    unpriced: new Array<number>(periodCount).fill(0),
  };
  spanTallies.forEach((tally, index) => {
    const period = periods[index];
    addInto(costs.tallies[period], tally);
    if (tally.count === 0) return;
    const price = prices[index];
    if (price === undefined) costs.unpriced[period] += tally.count;
    else costs.costs[period] += tally.sum * price;
  });
  return costs;
}

// Values where the order and the sign of additions show: zeros of both signs, infinities, big and tiny.
const value = fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0, Infinity, -Infinity, 0.1, 0.2, 1e16, -1e16));
const spanTally = fc.oneof(
  fc.record({ count: fc.constant(0), missingCount: fc.nat(3), sum: fc.constantFrom(0, -0) }),
  fc.record({ count: fc.integer({ min: 1, max: 5 }), missingCount: fc.nat(3), sum: value, min: value, max: value }),
);

describe("a meter's costs per period from its spans' tallies", () => {
  it("are the same doubles, bit for bit, as adding the spans up with addInto", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.record({ tally: spanTally, price: fc.option(value, { nil: undefined }) }), { minLength: 1, maxLength: 4 }), { maxLength: 12 }),
        (drawn) => {
          // Periods of one to four spans each, in order, as pricedSpans cuts them.
          const spanTallies = drawn.flatMap((spans) => spans.map(({ tally }) => tally));
          const periods = drawn.flatMap((spans, period) => spans.map(() => period));
          const prices = drawn.flatMap((spans) => spans.map(({ price }) => price));
          const actual = periodCosts(spanTalliesOf(spanTallies), { periods, prices }, drawn.length);
          const expected = byAddInto(spanTallies, periods, prices, drawn.length);
          assert.equal(actual.tallies.count.length, expected.tallies.length);
          expected.tallies.forEach((reference, index) => {
            const tally = tallyAt(actual.tallies, index);
            assert.deepEqual(Object.keys(tally), Object.keys(reference));
            for (const key of Object.keys(reference) as (keyof Tally)[]) assert.ok(Object.is(tally[key], reference[key]), `period ${index} ${key}: ${tally[key]} is not ${reference[key]}`);
            assert.ok(Object.is(actual.costs[index], expected.costs[index]), `period ${index} cost: ${actual.costs[index]} is not ${expected.costs[index]}`);
            assert.equal(actual.unpriced[index], expected.unpriced[index]);
          });
        },
      ),
      { numRuns: 3000 },
    );
  });
});

import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, it } from "node:test";
import type { ReadingColumns } from "../src/readings/reading-columns.js";
import { ColumnBatcher } from "../src/store/chunks/range-columns.js";

/** Pages of consecutive readings, reading n at time n with value n / 10, as a range read decodes them. */
function pagesOf(lengths: number[]): ReadingColumns[] {
  let next = 0;
  return lengths.map((length) => {
    const times = new Float64Array(length);
    const values = new Float64Array(length);
    for (let i = 0; i < length; i++, next++) {
      times[i] = next;
      values[i] = next / 10;
    }
    return { times, values };
  });
}

describe("ColumnBatcher", () => {
  it("regroups any pages into batches of exactly its size, the last shorter, every reading once and in order", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { maxLength: 12 }), fc.integer({ min: 1, max: 16 }), (lengths, size) => {
        const batcher = new ColumnBatcher(size);
        const batches: ReadingColumns[] = [];
        // Copied out only at the end: a batch must stay as it was while later pages come.
        for (const page of pagesOf(lengths)) batches.push(...batcher.add(page));
        const rest = batcher.rest();
        const total = lengths.reduce((sum, length) => sum + length, 0);
        for (const batch of batches) assert.equal(batch.times.length, size);
        assert.equal(batches.length, Math.floor(total / size));
        assert.equal(rest.times.length, total % size);
        const times = [...batches, rest].flatMap((batch) => [...batch.times]);
        const values = [...batches, rest].flatMap((batch) => [...batch.values]);
        assert.deepEqual(times, Array.from({ length: total }, (_, n) => n));
        assert.deepEqual(values, Array.from({ length: total }, (_, n) => n / 10));
      }),
      { numRuns: 500 },
    );
  });

  it("hands back a range that ends inside one page as a view of that page, without a copy", () => {
    const [first, second] = pagesOf([7, 5]);
    const whole = new ColumnBatcher(10);
    assert.deepEqual([...whole.add(second)], []);
    const rest = whole.rest();
    assert.equal(rest.times.buffer, second.times.buffer);
    assert.equal(rest.values.buffer, second.values.buffer);
    assert.deepEqual([...rest.times], [7, 8, 9, 10, 11]);

    const straddling = new ColumnBatcher(10);
    assert.deepEqual([...straddling.add(first)], []);
    const [batch, ...more] = [...straddling.add(second)];
    assert.equal(more.length, 0);
    assert.deepEqual([...batch.times], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const tail = straddling.rest();
    assert.equal(tail.times.buffer, second.times.buffer, "the tail of the last page is a view of it");
    assert.deepEqual([...tail.values], [1, 1.1]);
  });
});

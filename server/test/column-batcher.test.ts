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

/** The leftover of the page before, then `page`, in arrays of their own: as pageColumns decodes a page behind it. */
function behind(leftover: ReadingColumns, page: ReadingColumns): ReadingColumns {
  const times = new Float64Array(leftover.times.length + page.times.length);
  const values = new Float64Array(times.length);
  times.set(leftover.times);
  times.set(page.times, leftover.times.length);
  values.set(leftover.values);
  values.set(page.values, leftover.values.length);
  return { times, values };
}

describe("ColumnBatcher", () => {
  it("regroups any pages into batches of exactly its size, the last shorter, every reading once and in order", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 40 }), { maxLength: 12 }), fc.integer({ min: 1, max: 16 }), (lengths, size) => {
        const batcher = new ColumnBatcher(size);
        const batches: ReadingColumns[] = [];
        // Copied out only at the end: a batch must stay as it was while later pages come.
        for (const page of pagesOf(lengths)) batches.push(...batcher.add(behind(batcher.leftover(), page)));
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

  it("cuts a page into views of its columns, without a copy, and leaves the rest for the next page", () => {
    const [first, second] = pagesOf([23, 5]);
    const batcher = new ColumnBatcher(10);
    const batches = [...batcher.add(first)];
    assert.deepEqual(batches.map((batch) => [batch.times[0], batch.times.length]), [[0, 10], [10, 10]]);
    assert.ok(batches.every((batch) => batch.times.buffer === first.times.buffer && batch.values.buffer === first.values.buffer));
    assert.throws(() => [...batcher.add(second)], /leftover/, "a page that does not begin with the leftover would lose it");
    const leftover = batcher.leftover();
    assert.equal(leftover.times.buffer, first.times.buffer);
    assert.deepEqual([...leftover.times], [20, 21, 22]);
    assert.deepEqual([...batcher.add(behind(leftover, second))], []);
    assert.deepEqual([...batcher.rest().times], [20, 21, 22, 23, 24, 25, 26, 27]);
    assert.deepEqual([...batcher.rest().times], []);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { MeterReading, Reading } from "../src/readings/reading.js";
import type { TimeSpan } from "../src/readings/tally.js";
import { DuplicateTimeError } from "../src/store/duplicate-time-error.js";
import { ReadingConflictError } from "../src/store/reading-conflict-error.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { storeKinds } from "./support/store-kinds.js";
import { storedReadings } from "./support/stored-readings.js";
import { storedTallies } from "./support/stored-tallies.js";

/**
 * Each store's chunks against a model that keeps every reading of every meter in a
 * sorted list: random in-order appends that fill and seal chunks, late writes into sealed
 * ones, duplicates with the same or another value, imports that replace a meter or hold a
 * taken time; after each step, random ranges read, summarized, bucketed and tallied agree
 * with the model.
 */

const meterNames = ["flat-1", "flat-2", "flat-3"];
const origin = Date.UTC(2019, 0, 1);

type Step =
  | { kind: "append"; meter: number; count: number; regular: boolean; seed: number }
  | { kind: "late"; meter: number; count: number; seed: number }
  | { kind: "again"; meter: number; count: number; seed: number; conflict: boolean }
  | { kind: "replace"; meter: number; count: number; seed: number }
  | { kind: "duplicate-import"; meter: number; seed: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("append" as const), meter: fc.nat(2), count: fc.integer({ min: 1, max: 700 }), regular: fc.boolean(), seed: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("late" as const), meter: fc.nat(2), count: fc.integer({ min: 1, max: 40 }), seed: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("again" as const), meter: fc.nat(2), count: fc.integer({ min: 1, max: 5 }), seed: fc.nat(), conflict: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("replace" as const), meter: fc.nat(2), count: fc.integer({ min: 0, max: 900 }), seed: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("duplicate-import" as const), meter: fc.nat(2), seed: fc.nat() }) },
);

function prng(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

function valueFrom(random: () => number): number | null {
  const pick = random();
  if (pick < 0.05) return null;
  if (pick < 0.1) return 0;
  if (pick < 0.2) return Math.round(random() * 1e6) / 7;
  return Math.round((random() - 0.3) * 1e7) / 1000;
}

/** Every meter's readings, each list sorted by time. */
class Model {
  readonly meters = new Map<string, Reading[]>();

  readings(meter: string): Reading[] {
    return this.meters.get(meter) ?? [];
  }

  add(meter: string, readings: Reading[]): void {
    const merged = [...this.readings(meter), ...readings].sort((a, b) => a.time - b.time);
    this.meters.set(meter, merged);
  }

  valueAt(meter: string, time: number): Reading | undefined {
    return this.readings(meter).find((reading) => reading.time === time);
  }
}

async function apply(store: ReadingStore, model: Model, action: Step): Promise<void> {
  const meter = meterNames[action.meter];
  const random = prng(action.seed);
  const held = model.readings(meter);
  const last = held.at(-1)?.time ?? origin;
  switch (action.kind) {
    case "append": {
      const readings: Reading[] = [];
      let time = last;
      for (let i = 0; i < action.count; i++) {
        time += action.regular ? 900_000 : 1 + Math.floor(random() * (random() < 0.01 ? 3e10 : 2e6));
        readings.push({ time, value: valueFrom(random) });
      }
      assert.deepEqual(await store.appendReadings([{ meter, readings }]), { stored: readings.length, alreadyStored: 0 });
      model.add(meter, readings);
      return;
    }
    case "late": {
      const first = held[0]?.time ?? origin;
      const taken = new Set(held.map(({ time }) => time));
      const readings: Reading[] = [];
      for (let i = 0; i < action.count; i++) {
        const time = first - 86_400_000 + Math.floor(random() * (last - first + 86_400_000));
        if (taken.has(time)) continue;
        taken.add(time);
        readings.push({ time, value: valueFrom(random) });
      }
      assert.deepEqual(await store.appendReadings([{ meter, readings }]), { stored: readings.length, alreadyStored: 0 });
      model.add(meter, readings);
      return;
    }
    case "again": {
      if (held.length === 0) return;
      const readings = Array.from({ length: action.count }, () => held[Math.floor(random() * held.length)]);
      const unique = [...new Map(readings.map((reading) => [reading.time, reading])).values()];
      if (!action.conflict) {
        assert.deepEqual(await store.appendReadings([{ meter, readings: unique }]), { stored: 0, alreadyStored: unique.length });
        return;
      }
      const changed = { time: unique[0].time, value: unique[0].value === null ? 1 : null };
      const fresh = { time: last + 1, value: 2 };
      await assert.rejects(store.appendReadings([{ meter, readings: [fresh, ...unique.slice(1), changed] }]), ReadingConflictError);
      return;
    }
    case "replace": {
      const readings: MeterReading[] = [];
      let time = origin + Math.floor(random() * 1e9);
      for (let i = 0; i < action.count; i++) {
        time += 1 + Math.floor(random() * 1e6);
        readings.push({ meter, time, value: valueFrom(random), line: i + 2 });
      }
      const result = await store.importReadings(batchesOf(readings), { replace: true });
      // A file replaces the meters it holds: one with no readings names no meter, so it changes nothing.
      if (readings.length === 0) {
        assert.deepEqual(result, { stored: 0, removed: 0, skipped: false });
        return;
      }
      assert.deepEqual(result, { stored: readings.length, removed: held.length, skipped: false });
      model.meters.set(meter, readings.map(({ time, value }) => ({ time, value })));
      return;
    }
    case "duplicate-import": {
      if (held.length === 0) return;
      const taken = held[Math.floor(random() * held.length)];
      const rows: MeterReading[] = [
        { meter, time: last + 5, value: 1, line: 2 },
        { meter, time: taken.time, value: taken.value, line: 3 },
      ];
      await assert.rejects(store.importReadings(batchesOf(rows)), (error: unknown) => {
        assert.ok(error instanceof DuplicateTimeError);
        assert.equal(error.line, 3);
        assert.match(error.message, /is already stored \(or appears earlier in the file\)/);
        return true;
      });
    }
  }
}

async function* batchesOf(readings: MeterReading[]): AsyncIterable<MeterReading[]> {
  for (let i = 0; i < readings.length; i += 333) yield readings.slice(i, i + 333);
}

/** Times a check reads from: the model's own times, just before and after them, and far outside. */
function probeTimes(readings: Reading[], random: () => number): number[] {
  const times = [Number.MIN_SAFE_INTEGER + 1, origin - 1e12, origin + 3e12];
  for (let i = 0; i < 6 && readings.length > 0; i++) {
    const time = readings[Math.floor(random() * readings.length)].time;
    times.push(time, time + 1, time - 1);
  }
  return times.sort((a, b) => a - b);
}

function tallyOf(readings: Reading[]) {
  const values = readings.flatMap(({ value }) => (value === null ? [] : [value]));
  return {
    count: values.length,
    missingCount: readings.length - values.length,
    sum: values.reduce((a, b) => a + b, 0),
    min: values.length > 0 ? Math.min(...values) : undefined,
    max: values.length > 0 ? Math.max(...values) : undefined,
  };
}

function assertSum(actual: number, readings: Reading[], where: string): void {
  const expected = readings.reduce((sum, { value }) => sum + (value ?? 0), 0);
  const scale = readings.reduce((sum, { value }) => sum + Math.abs(value ?? 0), 0);
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, scale), `${where}: sum ${actual} vs ${expected}`);
}

async function checkReads(store: ReadingStore, model: Model, seed: number): Promise<void> {
  const random = prng(seed);
  const meters = await store.meters();
  const expectedMeters = meterNames.filter((name) => model.meters.has(name));
  assert.deepEqual(
    meters.map(({ name, count, firstTime, lastTime }) => [name, count, firstTime, lastTime]),
    expectedMeters.map((name) => {
      const held = model.readings(name);
      return [name, held.length, held[0]?.time, held.at(-1)?.time];
    }),
  );
  for (const meter of expectedMeters) {
    const held = model.readings(meter);
    assert.deepEqual(await storedReadings(store, {}, meter), held, `${meter}: every reading`);
    const times = probeTimes(held, random);
    const start = times[Math.floor(random() * times.length)];
    const end = times[Math.floor(random() * times.length)];
    if (start >= end) continue;
    const inside = held.filter(({ time }) => time >= start && time < end);
    const where = `${meter} [${start}, ${end})`;

    const batchSize = 1 + Math.floor(random() * 700);
    const batches: Reading[][] = [];
    for await (const batch of store.readBatches(meter, { start, end }, batchSize)) batches.push(batch);
    assert.ok(batches.every((batch) => batch.length > 0 && batch.length <= batchSize), where);
    assert.deepEqual(batches.flat(), inside, where);

    const { sum, ...summary } = await store.summarize(meter, { start, end });
    const expected = tallyOf(inside);
    assert.deepEqual(summary, {
      count: inside.length,
      missingCount: expected.missingCount,
      firstTime: inside[0]?.time,
      lastTime: inside.at(-1)?.time,
      min: expected.min,
      max: expected.max,
      mean: summary.mean,
    }, where);
    assertSum(sum, inside, where);
    assert.deepEqual(await store.extent(meter, { start, end }), { count: inside.length, firstTime: inside[0]?.time, lastTime: inside.at(-1)?.time }, where);

    if (end - start < 1e13) {
      const width = Math.max(1, Math.ceil((end - start) / (1 + Math.floor(random() * 300))));
      const buckets = await store.bucketize(meter, { start, end }, width);
      const expectedBuckets = [];
      for (let from = start; from < end; from += width) {
        const to = Math.min(from + width, end);
        const readings = inside.filter(({ time }) => time >= from && time < to);
        if (readings.length === 0) continue;
        const { count, missingCount, min, max } = tallyOf(readings);
        expectedBuckets.push({ start: from, end: to, count, missingCount, min, max });
      }
      assert.deepEqual(buckets.map(({ mean: _mean, ...bucket }) => bucket), expectedBuckets, `${where} buckets of ${width}`);
    }

    // Spans: a sorted, non-overlapping pick of the probe times.
    const bounds = [...new Set(times.filter(() => random() < 0.6))];
    const spans: TimeSpan[] = [];
    for (let i = 0; i + 1 < bounds.length; i += 1 + Math.floor(random() * 2)) spans.push({ start: bounds[i], end: bounds[i + 1] });
    const [tallies] = await storedTallies(store, [meter], spans);
    spans.forEach((span, index) => {
      const readings = held.filter(({ time }) => time >= span.start && time < span.end);
      const { sum: tallySum, ...tally } = tallies[index];
      const { sum: _sum, min, max, ...figures } = tallyOf(readings);
      assert.deepEqual(tally, { ...figures, ...(min === undefined ? {} : { min, max }) }, `${meter} span [${span.start}, ${span.end})`);
      assertSum(tallySum, readings, `${meter} span [${span.start}, ${span.end})`);
    });
  }

  // Many meters tallied at once, as a fleet's usage asks (one named twice, in another order),
  // add up exactly as each one tallied alone.
  if (expectedMeters.length > 0) {
    const asked = [...expectedMeters, expectedMeters[0]].reverse();
    const bounds = [...new Set(asked.flatMap((meter) => probeTimes(model.readings(meter), random)))].sort((a, b) => a - b).filter(() => random() < 0.6);
    const spans: TimeSpan[] = [];
    for (let i = 0; i + 1 < bounds.length; i += 1 + Math.floor(random() * 2)) spans.push({ start: bounds[i], end: bounds[i + 1] });
    const together = await storedTallies(store, asked, spans);
    for (const [index, meter] of asked.entries()) {
      assert.deepStrictEqual(together[index], (await storedTallies(store, [meter], spans))[0], `${meter} among ${asked.length} meters, ${spans.length} spans`);
    }
  }
}

// Fewer runs on PostgreSQL, where each makes a database of its own: enough to cover every kind
// of step many times over in well under a minute.
const runsOf = { SQLite: 40, PostgreSQL: 12 };

for (const kind of storeKinds()) {
  describe(`the ${kind.name} store's chunks against a model of every reading`, { skip: kind.skip }, () => {
    it("agree after every step of random appends, late writes, duplicates and replaces", async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), fc.nat(), async (steps, seed) => {
          const { store, close } = await kind.open();
          const model = new Model();
          try {
            for (const [index, action] of steps.entries()) {
              await apply(store, model, action);
              await checkReads(store, model, seed + index);
            }
          } finally {
            await close();
          }
        }),
        { numRuns: runsOf[kind.name] },
      );
    });
  });
}

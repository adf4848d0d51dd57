import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { Meter } from "../src/meters/meter.js";
import type { Reading } from "../src/readings/reading.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { calendarPeriods } from "../src/usage/calendar-periods.js";
import type { Period } from "../src/usage/period.js";
import type { PeriodUsage } from "../src/usage/period-usage.js";
import { readUsage } from "../src/usage/read-usage.js";
import { storeKinds, type TestStore } from "./support/store-kinds.js";

const zones = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"];
const periods: Period[] = ["hour", "day", "week", "month", "quarter", "year"];
const minute = 60_000;
// Two stretches around the year's clock changes: 31 March and 27 October in Europe, 10 March
// and 3 November in New York, 7 April and 6 October on Lord Howe.
const windows = [
  { start: Date.UTC(2019, 2, 5), end: Date.UTC(2019, 3, 12) },
  { start: Date.UTC(2019, 9, 1), end: Date.UTC(2019, 10, 8) },
];
const meters = ["usage-a", "usage-b"];

/** Readings every 20 minutes (at :05, :25, :45, so no hour holds a boundary's reading) through the windows. */
function seedReadings(meter: string): Reading[] {
  const readings: Reading[] = [];
  let n = meter.length;
  for (const { start, end } of windows) {
    for (let time = start + 5 * minute; time < end; time += 20 * minute) {
      n = (n * 1_103_515_245 + 12_345) % 2 ** 31;
      readings.push({ time, value: n % 97 === 0 ? null : (n % 10_000) / 100 - 20 });
    }
  }
  return readings;
}

/** The usage of each period worked out the slow way: every reading of the meters, one by one. */
function bruteForce(readingsByMeter: Reading[][], listed: { start: number; end: number }[]): PeriodUsage[][] {
  return readingsByMeter.map((readings) =>
    listed.map(({ start, end }) => {
      const inside = readings.filter((reading) => reading.time >= start && reading.time < end);
      const values = inside.flatMap((reading) => (reading.value === null ? [] : [reading.value]));
      const usage: PeriodUsage = { start, end, count: values.length, missingCount: inside.length - values.length, sum: values.reduce((a, b) => a + b, 0) };
      if (values.length > 0) Object.assign(usage, { min: Math.min(...values), max: Math.max(...values), mean: usage.sum / values.length });
      return usage;
    }),
  );
}

/** The meters as the store describes them now, as a caller hands them to readUsage. */
async function storedMeters(store: ReadingStore, names: string[]): Promise<Meter[]> {
  return Promise.all(names.map(async (name) => (await store.meter(name))!));
}

function assertSameUsage(actual: PeriodUsage[], expected: PeriodUsage[], context: string): void {
  assert.equal(actual.length, expected.length, `${context}: periods`);
  actual.forEach((period, index) => {
    const want = expected[index];
    const where = `${context}: period ${new Date(want.start).toISOString()}`;
    assert.deepEqual([period.start, period.end, period.count, period.missingCount, period.min, period.max], [want.start, want.end, want.count, want.missingCount, want.min, want.max], where);
    assert.ok(Math.abs(period.sum - want.sum) <= 1e-9 * Math.max(1, Math.abs(want.sum)), `${where}: sum ${period.sum} vs ${want.sum}`);
    assert.equal(period.mean === undefined, want.mean === undefined, where);
  });
}

for (const kind of storeKinds()) {
  describe(`usage per calendar period in the ${kind.name} store`, { skip: kind.skip }, () => {
    let opened: TestStore;
    let store: ReadingStore;
    const held = new Map<string, Reading[]>();
    before(async () => {
      opened = await kind.open();
      store = opened.store;
      for (const meter of meters) {
        held.set(meter, seedReadings(meter));
        await store.appendReadings([{ meter, readings: held.get(meter)! }]);
      }
    });
    after(() => opened.close());

    const range = fc.oneof(
      ...windows.map(({ start, end }) =>
        fc.tuple(fc.integer({ min: start - 2 * 86_400_000, max: end }), fc.integer({ min: 0, max: 20 * 86_400_000 })).map(([from, length]) => ({ start: from - (from % minute), end: from - (from % minute) + length })),
      ),
    );

    it("adds up exactly what brute force adds up, for random ranges, every period and zones across both clock changes", async () => {
      await fc.assert(
        fc.asyncProperty(range, fc.constantFrom(...periods), fc.constantFrom(...zones), fc.subarray(meters, { minLength: 1 }), async (span, period, zone, asked) => {
          const usage = await readUsage(store, { meters: await storedMeters(store, asked), range: span, period, timeZone: zone });
          const listed = calendarPeriods(span, period, zone);
          const expected = bruteForce(asked.map((meter) => held.get(meter)!), listed);
          asked.forEach((meter, index) => assertSameUsage(usage.meters[index].periods, expected[index], `${meter} by ${period} in ${zone}`));
          if (asked.length > 1) {
            const together = bruteForce([asked.flatMap((meter) => held.get(meter)!)], listed)[0];
            assertSameUsage(usage.total!, together, `total by ${period} in ${zone}`);
          } else {
            assert.equal(usage.total, undefined);
          }
        }),
        { numRuns: 60 },
      );
    });

    it("stays exact after appends and a replacing import", async () => {
      const appended: Reading[] = [];
      for (let time = windows[0].start + 7 * minute; time < windows[0].start + 3 * 86_400_000; time += 40 * minute) appended.push({ time, value: 1.25 });
      await store.appendReadings([{ meter: "usage-a", readings: appended }]);
      held.set("usage-a", [...held.get("usage-a")!, ...appended].sort((a, b) => a.time - b.time));
      const replacement = held.get("usage-b")!.filter((_, index) => index % 3 === 0).map((reading, index) => ({ ...reading, meter: "usage-b", line: index + 2 }));
      await store.importReadings((async function* () { yield replacement; })(), { replace: true });
      held.set("usage-b", replacement.map(({ time, value }) => ({ time, value })));
      for (const zone of zones) {
        for (const period of ["hour", "day", "week"] as Period[]) {
          const span = { start: windows[0].start - 86_400_000, end: windows[0].end };
          const usage = await readUsage(store, { meters: await storedMeters(store, meters), range: span, period, timeZone: zone });
          const expected = bruteForce(meters.map((meter) => held.get(meter)!), calendarPeriods(span, period, zone));
          meters.forEach((meter, index) => assertSameUsage(usage.meters[index].periods, expected[index], `${meter} by ${period} in ${zone} after writes`));
        }
      }
    });

    it("opens an open range with the period of the first reading and ends it with the period of the last", async () => {
      const usage = await readUsage(store, { meters: await storedMeters(store, ["usage-a"]), range: {}, period: "month", timeZone: "Europe/London" });
      const months = usage.meters[0].periods;
      assert.equal(new Date(months[0].start).toISOString(), "2019-03-01T00:00:00.000Z");
      assert.equal(new Date(months.at(-1)!.end).toISOString(), "2019-12-01T00:00:00.000Z");
      assert.deepEqual(months.map((month) => month.count > 0), [true, true, false, false, false, false, false, true, true]);
      assert.deepEqual(months[3], { start: Date.UTC(2019, 5, 1) - 3_600_000, end: Date.UTC(2019, 6, 1) - 3_600_000, count: 0, missingCount: 0, sum: 0 });
    });

    it("reads the periods in the first meter's time zone when none is asked for", async () => {
      await store.setMeterSettings("usage-b", { timeZone: "Asia/Kolkata", unit: "kWh" });
      const usage = await readUsage(store, { meters: await storedMeters(store, ["usage-b", "usage-a"]), range: { start: Date.UTC(2019, 2, 10), end: Date.UTC(2019, 2, 12) }, period: "day" });
      assert.equal(usage.timeZone, "Asia/Kolkata");
      assert.equal(usage.meters[0].unit, "kWh");
      assert.deepEqual(usage.meters[0].periods.map((day) => new Date(day.start).toISOString()), ["2019-03-10T00:00:00.000Z", "2019-03-10T18:30:00.000Z", "2019-03-11T18:30:00.000Z"]);
    });
  });
}

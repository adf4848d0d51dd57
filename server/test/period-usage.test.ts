import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { Reading } from "../src/readings/reading.js";
import { calendarPeriods } from "../src/usage/calendar-periods.js";
import { addUp, readingUsage, usageByPeriod, type PartialUsage, type PeriodUsage } from "../src/usage/period-usage.js";
import { periods } from "../src/usage/period.js";
import { straddledHours } from "../src/usage/straddled-hours.js";
import type { TimeSpan } from "../src/usage/time-span.js";

const hour = 3_600_000;
const start2019 = Date.UTC(2019, 0, 1);

/** A range of up to ten days in 2019 (some not on whole minutes), a period and a zone with whole, half and quarter hour offsets. */
const requests = fc.record({
  start: fc.integer({ min: start2019, max: Date.UTC(2019, 11, 20) }),
  length: fc.integer({ min: 1, max: 10 * 24 * hour }),
  period: fc.constantFrom(...periods),
  zone: fc.constantFrom("UTC", "Europe/London", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"),
});

/** Readings of one meter around a range: integer values so that sums do not depend on the order of adding. */
function meterReadings(range: TimeSpan): fc.Arbitrary<Reading[]> {
  const reading = fc.record({
    time: fc.integer({ min: range.start - 2 * hour, max: range.end + 2 * hour }),
    value: fc.option(fc.integer({ min: -1000, max: 1000 }), { freq: 5 }),
  });
  return fc.uniqueArray(reading, { selector: (r) => r.time, maxLength: 300 });
}

const withReadings = requests.chain((request) => {
  const range = { start: request.start, end: request.start + request.length };
  const meters = fc.array(meterReadings(range), { minLength: 1, maxLength: 3 });
  return meters.map((readings) => ({ range, period: request.period, zone: request.zone, meters: readings }));
});

describe("usage by period", () => {
  it("adds up a store's hourly aggregates and the readings of straddled hours as the readings themselves add up", () => {
    fc.assert(
      fc.property(withReadings, ({ range, period, zone, meters }) => {
        const listed = calendarPeriods(range, period, zone);
        const perMeter = meters.map((readings) => usageByPeriod(listed, asAStoreWouldRead(readings, listed)));
        meters.forEach((readings, i) => assert.deepEqual(perMeter[i], tallied(listed, readings)));
        assert.deepEqual(addUp(perMeter), tallied(listed, meters.flat()));
      }),
      { numRuns: 300 },
    );
  });

  it("lists a period without readings with nothing counted and no min, max or mean", () => {
    const listed = [{ start: start2019, end: start2019 + hour }, { start: start2019 + hour, end: start2019 + 2 * hour }];
    const missing = readingUsage({ time: start2019 + hour, value: null });
    assert.deepEqual(usageByPeriod(listed, [missing]), [
      { start: start2019, end: start2019 + hour, count: 0, missingCount: 0, sum: 0 },
      { start: start2019 + hour, end: start2019 + 2 * hour, count: 0, missingCount: 1, sum: 0 },
    ]);
    assert.deepEqual(addUp([]), []);
  });

  it("names the UTC hours that a period boundary or the range's ends cut, once each", () => {
    const kolkataDays = calendarPeriods({ start: Date.UTC(2019, 0, 1, 0, 10), end: Date.UTC(2019, 0, 3) }, "day", "Asia/Kolkata");
    assert.deepEqual(straddledHours(kolkataDays), [Date.UTC(2019, 0, 1), Date.UTC(2019, 0, 1, 18), Date.UTC(2019, 0, 2, 18)]);
    const lordHoweHours = calendarPeriods({ start: Date.UTC(2019, 3, 6, 14), end: Date.UTC(2019, 3, 6, 16) }, "hour", "Australia/Lord_Howe");
    assert.deepEqual(straddledHours(lordHoweHours), [Date.UTC(2019, 3, 6, 15)]);
    assert.deepEqual(straddledHours(calendarPeriods({ start: start2019, end: Date.UTC(2019, 1, 1) }, "day", "Europe/London")), []);
  });
});

/** What a store would hand over: one partial per UTC hour with readings, except straddled hours, whose readings come one by one; out of order, which must not matter. */
function asAStoreWouldRead(readings: Reading[], listed: TimeSpan[]): PartialUsage[] {
  const straddled = new Set(straddledHours(listed));
  const hourly = new Map<number, PartialUsage>();
  const partials: PartialUsage[] = [];
  for (const reading of readings) {
    const hourStart = Math.floor(reading.time / hour) * hour;
    if (straddled.has(hourStart)) {
      partials.push(readingUsage(reading));
      continue;
    }
    const aggregate = hourly.get(hourStart) ?? { start: hourStart, count: 0, missingCount: 0, sum: 0 };
    const { count, missingCount, sum, min, max } = readingUsage(reading);
    aggregate.count += count;
    aggregate.missingCount += missingCount;
    aggregate.sum += sum;
    if (min !== undefined) aggregate.min = Math.min(aggregate.min ?? min, min);
    if (max !== undefined) aggregate.max = Math.max(aggregate.max ?? max, max);
    hourly.set(hourStart, aggregate);
  }
  return [...partials, ...[...hourly.values()].reverse()];
}

/** The brute-force definition: each period's readings, added up directly. */
function tallied(listed: TimeSpan[], readings: Reading[]): PeriodUsage[] {
  return listed.map(({ start, end }) => {
    const inside = readings.filter((r) => start <= r.time && r.time < end);
    const values = inside.flatMap((r) => (r.value === null ? [] : [r.value]));
    const usage: PeriodUsage = { start, end, count: values.length, missingCount: inside.length - values.length, sum: values.reduce((a, b) => a + b, 0) };
    if (values.length === 0) return usage;
    return { ...usage, min: Math.min(...values), max: Math.max(...values), mean: usage.sum / values.length };
  });
}

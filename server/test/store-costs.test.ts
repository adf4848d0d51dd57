import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import type { Reading } from "../src/readings/reading.js";
import type { TimeSpan } from "../src/readings/tally.js";
import type { ReadingStore } from "../src/store/reading-store.js";
import { readPricedUsage } from "../src/pricing/read-priced-usage.js";
import type { Price, Rate, Tariff, TariffVersion } from "../src/tariffs/tariff.js";
import type { Period } from "../src/usage/period.js";
import type { PeriodUsage } from "../src/usage/period-usage.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { storeKinds, type TestStore } from "./support/store-kinds.js";

const zones = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"];
const periods: Period[] = ["hour", "day", "week", "month", "quarter", "year"];
const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
// Around the year's clock changes: 31 March and 27 October in Europe, 10 March and 3 November
// in New York, 7 April and 6 October on Lord Howe.
const windows = [
  { start: Date.UTC(2019, 2, 5), end: Date.UTC(2019, 3, 12) },
  { start: Date.UTC(2019, 9, 1), end: Date.UTC(2019, 10, 8) },
];
const weekdayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Readings every 10 minutes, on the minute, so window edges and price edges fall on readings; some missing. */
function seedReadings(seed: number): Reading[] {
  const readings: Reading[] = [];
  let n = seed;
  for (const { start, end } of windows) {
    for (let time = start; time < end; time += 10 * minute) {
      n = (n * 1_103_515_245 + 12_345) % 2 ** 31;
      readings.push({ time, value: n % 89 === 0 ? null : (n % 1_000) / 100 - 1 });
    }
  }
  return readings;
}

/** Half-hourly prices through the windows, some negative, with a gap of a few hours every few days. */
function seedPrices(): Price[] {
  const prices: Price[] = [];
  let n = 7;
  for (const { start, end } of windows) {
    for (let time = start - day; time < end + day; time += 30 * minute) {
      n = (n * 1_103_515_245 + 12_345) % 2 ** 31;
      if (Math.floor(time / hour) % 77 < 5) continue;
      prices.push({ start: time, end: time + 30 * minute, price: (n % 600) / 1000 - 0.1 });
    }
  }
  return prices;
}

// The local wall clock of an instant, by Intl directly: independent of the service's offset stretches.
const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(zone: string, time: number): { date: string; minutes: number; weekday: number } {
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short" });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(time).map(({ type, value }) => [type, value]));
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60,
    weekday: weekdayNames.indexOf(parts.weekday.toLowerCase()),
  };
}

const clockMinutes = (text: string, empty: number) => (text === "" ? empty : Number(text.slice(0, 2)) * 60 + Number(text.slice(3)));

function versionAt(tariff: Tariff, time: number): TariffVersion | undefined {
  return tariff.versions.filter((version) => version.validFrom <= time).at(-1);
}

/** What one reading costs a unit, worked out the slow way; undefined when nothing prices it. */
function unitPrice(tariff: Tariff, prices: Price[], time: number): number | undefined {
  const version = versionAt(tariff, time);
  if (version === undefined) return undefined;
  if (version.dynamic) {
    const latest = prices.filter((price) => price.start <= time).at(-1);
    return latest !== undefined && time < latest.end ? latest.price : undefined;
  }
  const local = wallClock(tariff.timeZone, time);
  const rate = version.rates.find((candidate) => {
    if (candidate.days.length > 0 && !candidate.days.includes(weekdayNames[local.weekday])) return false;
    const start = clockMinutes(candidate.windowStart, 0);
    const end = clockMinutes(candidate.windowEnd, 1440);
    return end <= start ? local.minutes >= start || local.minutes < end : local.minutes >= start && local.minutes < end;
  });
  return rate?.price;
}

/** The local days of a zone that overlap a span, found by walking it a quarter of an hour at a time. */
function localDays(zone: string, span: TimeSpan): TimeSpan[] {
  const step = 15 * minute;
  const from = Math.floor(span.start / step) * step - 2 * day;
  const starts: number[] = [];
  let previous = wallClock(zone, from).date;
  for (let time = from + step; time < span.end + 2 * day; time += step) {
    const date = wallClock(zone, time).date;
    if (date !== previous) starts.push(time);
    previous = date;
  }
  return starts.slice(0, -1).map((start, index) => ({ start, end: starts[index + 1] })).filter(({ start, end }) => end > span.start && start < span.end);
}

function expectedCosts(tariff: Tariff, prices: Price[], readings: Reading[], listed: TimeSpan[]) {
  return listed.map((period) => {
    let energyCost = 0;
    let unpricedCount = 0;
    for (const { time, value } of readings) {
      if (time < period.start || time >= period.end || value === null) continue;
      const price = unitPrice(tariff, prices, time);
      if (price === undefined) unpricedCount++;
      else energyCost += value * price;
    }
    let standingCharge = 0;
    for (const localDay of localDays(tariff.timeZone, period)) {
      const charge = versionAt(tariff, localDay.start)?.standingChargePerDay ?? 0;
      const overlap = Math.min(localDay.end, period.end) - Math.max(localDay.start, period.start);
      standingCharge += (charge * overlap) / (localDay.end - localDay.start);
    }
    return { energyCost, standingCharge, cost: energyCost + standingCharge, unpricedCount };
  });
}

const close = (actual: number | undefined, expected: number) => actual !== undefined && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));

function assertCosts(actual: PeriodUsage[], expected: ReturnType<typeof expectedCosts>, context: string): void {
  assert.equal(actual.length, expected.length, `${context}: periods`);
  actual.forEach((period, index) => {
    const want = expected[index];
    const where = `${context}: period ${new Date(period.start).toISOString()}`;
    assert.equal(period.unpricedCount, want.unpricedCount, `${where}: unpriced`);
    for (const field of ["energyCost", "standingCharge", "cost"] as const) {
      assert.ok(close(period[field], want[field]), `${where}: ${field} ${period[field]} vs ${want[field]}`);
    }
  });
}

const hhmm = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 10, 30, 45)).map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const rate: fc.Arbitrary<Rate> = fc.record({
  price: fc.double({ min: -0.5, max: 1, noNaN: true }),
  windowStart: fc.oneof(hhmm, fc.constant("")),
  windowEnd: fc.oneof(hhmm, fc.constantFrom("", "24:00")),
  days: fc.oneof(fc.constant<string[]>([]), fc.constant<string[]>(["mon", "tue", "wed", "thu", "fri"]), fc.subarray(weekdayNames, { minLength: 1 })),
});
const version: fc.Arbitrary<TariffVersion> = fc
  .record({
    validFrom: fc.oneof(...windows.map(({ start, end }) => fc.integer({ min: start - 3 * day, max: end }).map((time) => time - (time % (5 * minute))))),
    standingChargePerDay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 2, noNaN: true })),
    dynamic: fc.boolean(),
    rates: fc.array(rate, { maxLength: 4 }),
  })
  .map((drawn) => (drawn.dynamic ? { ...drawn, rates: [] } : drawn));
const tariff = (zone: string): fc.Arbitrary<Tariff> =>
  fc
    .uniqueArray(version, { minLength: 1, maxLength: 3, selector: ({ validFrom }) => validFrom })
    .map((versions) => ({ name: "drawn", currency: "GBP", timeZone: zone, versions: versions.sort((a, b) => a.validFrom - b.validFrom) }));

for (const kind of storeKinds()) {
  describe(`cost per calendar period in the ${kind.name} store`, { skip: kind.skip }, () => {
    let opened: TestStore;
    let store: ReadingStore;
    const held = new Map<string, Reading[]>([
      ["priced", seedReadings(3)],
      ["other", seedReadings(11)],
    ]);
    const prices = seedPrices();
    before(async () => {
      opened = await kind.open();
      store = opened.store;
      for (const [meter, readings] of held) await store.appendReadings([{ meter, readings }]);
      await store.tariffs.putTariff({ name: "drawn", currency: "GBP", timeZone: "UTC", versions: [] });
      await store.tariffs.putPrices("drawn", prices);
      await store.tariffs.setMeterTariff("priced", "drawn");
    });
    after(() => opened.close());

    const range = fc.oneof(
      ...windows.map(({ start, end }) =>
        fc.tuple(fc.integer({ min: start - 2 * day, max: end }), fc.integer({ min: 0, max: 20 * day })).map(([from, length]) => ({ start: from - (from % minute), end: from - (from % minute) + length })),
      ),
    );

    it("prices exactly what brute force prices, for random tariffs, ranges, periods and zones across both clock changes", async () => {
      await fc.assert(
        fc.asyncProperty(
          range,
          fc.constantFrom(...periods),
          fc.constantFrom(...zones),
          fc.constantFrom(...zones).chain((zone) => tariff(zone)),
          async (span, period, meterZone, drawn) => {
            await store.tariffs.putTariff(drawn);
            const meter = (await store.meter("priced"))!;
            const usage = await readPricedUsage(store, { meters: [meter], range: span, period, timeZone: meterZone });
            const [priced] = usage.meters;
            assert.equal(priced.currency, "GBP");
            assert.equal(usage.currency, "GBP");
            const expected = expectedCosts(drawn, prices, held.get("priced")!, priced.periods);
            assertCosts(priced.periods, expected, `by ${period} in ${meterZone}, tariff in ${drawn.timeZone}`);
          },
        ),
        { numRuns: 60 },
      );
    });

    it("adds the costs up in the total only when every meter has a tariff in one currency", async () => {
      const versions: TariffVersion[] = [{ validFrom: Date.UTC(2019, 0, 1), standingChargePerDay: 0.5, dynamic: false, rates: [{ price: 0.25, windowStart: "", windowEnd: "", days: [] }] }];
      await store.tariffs.putTariff({ name: "drawn", currency: "GBP", timeZone: "Europe/London", versions });
      const meters = await Promise.all(["priced", "other"].map(async (name) => (await store.meter(name))!));
      const span = { start: Date.UTC(2019, 2, 28), end: Date.UTC(2019, 3, 2) };
      const unpricedOther = await readPricedUsage(store, { meters, range: span, period: "day", timeZone: "Europe/London" });
      assert.equal(unpricedOther.meters[1].currency, undefined);
      assert.equal(unpricedOther.meters[1].periods[0].cost, undefined);
      assert.equal(unpricedOther.currency, undefined);
      assert.equal(unpricedOther.total![0].cost, undefined);

      await store.tariffs.putTariff({ name: "flat-eur", currency: "EUR", timeZone: "Europe/Paris", versions });
      await store.tariffs.setMeterTariff("other", "flat-eur");
      const twoCurrencies = await readPricedUsage(store, { meters, range: span, period: "day", timeZone: "Europe/London" });
      assert.deepEqual(twoCurrencies.meters.map(({ currency }) => currency), ["GBP", "EUR"]);
      assert.equal(twoCurrencies.currency, undefined);
      assert.equal(twoCurrencies.total![0].cost, undefined);

      await store.tariffs.putTariff({ name: "flat-gbp", currency: "GBP", timeZone: "Europe/London", versions });
      await store.tariffs.setMeterTariff("other", "flat-gbp");
      const together = await readPricedUsage(store, { meters, range: span, period: "day", timeZone: "Europe/London" });
      assert.equal(together.currency, "GBP");
      together.total!.forEach((period, index) => {
        const [a, b] = together.meters.map(({ periods: list }) => list[index]);
        assert.ok(close(period.cost, a.cost! + b.cost!), "cost");
        assert.ok(close(period.energyCost, 0.25 * period.sum), "energy cost");
        assert.equal(period.unpricedCount, 0);
      });
      // 31 March 2019 has 23 hours in London: each of its hours accrues a 23rd of the day's charge.
      const hours = await readPricedUsage(store, { meters: [meters[0]], range: { start: Date.UTC(2019, 2, 31), end: Date.UTC(2019, 2, 31, 23) }, period: "hour", timeZone: "Europe/London" });
      assert.equal(hours.meters[0].periods.length, 23);
      for (const period of hours.meters[0].periods) assert.ok(close(period.standingCharge, 0.5 / 23));
      const week = await readPricedUsage(store, { meters: [meters[0]], range: { start: Date.UTC(2019, 2, 25), end: Date.UTC(2019, 3, 1) - hour }, period: "week", timeZone: "Europe/London" });
      assert.equal(week.meters[0].periods[0].standingCharge, 3.5);
      await store.tariffs.setMeterTariff("other", "");
    });

    it("prices a 00:30-04:30 window's repeated hour twice on a fall-back night", async () => {
      const night: Reading[] = [];
      for (let time = Date.UTC(2019, 9, 26, 22); time < Date.UTC(2019, 9, 27, 6); time += 30 * minute) night.push({ time, value: 2 });
      await store.appendReadings([{ meter: "fall-back", readings: night }]);
      await store.tariffs.putTariff({
        name: "night",
        currency: "GBP",
        timeZone: "Europe/London",
        versions: [{ validFrom: Date.UTC(2019, 0, 1), standingChargePerDay: 0, dynamic: false, rates: [{ price: 0.1, windowStart: "00:30", windowEnd: "04:30", days: [] }, { price: 0.3, windowStart: "", windowEnd: "", days: [] }] }],
      });
      await store.tariffs.setMeterTariff("fall-back", "night");
      const usage = await readPricedUsage(store, { meters: [(await store.meter("fall-back"))!], range: { start: Date.UTC(2019, 9, 26, 23), end: Date.UTC(2019, 9, 28) }, period: "day", timeZone: "Europe/London" });
      const [sunday] = usage.meters[0].periods;
      // 00:30 to 04:00 local is 8 half hours, and 01:00 and 01:30 come twice: 10 readings at 0.1, the other 4 at 0.3.
      assert.equal(sunday.count, 14);
      assert.ok(close(sunday.energyCost, 10 * 2 * 0.1 + 4 * 2 * 0.3), `energy cost ${sunday.energyCost}`);
    });

    it("keeps tariffs, prices and meters' tariffs on disk, where another store opening the same database sees them", async () => {
      const other = kind.name === "SQLite" ? new SqliteStore(opened.location) : await PostgresStore.open(opened.location);
      try {
        assert.deepEqual((await other.tariffs.tariffs()).map(({ name }) => name), (await store.tariffs.tariffs()).map(({ name }) => name));
        assert.equal((await other.tariffs.meterTariffs()).get("priced"), "drawn");
        const windowPrices = await other.tariffs.prices("drawn", windows[0]);
        const lastBefore = prices.filter(({ start }) => start <= windows[0].start).at(-1)!;
        assert.deepEqual(windowPrices, prices.filter(({ start }) => start >= lastBefore.start && start < windows[0].end));
        await other.tariffs.putTariff({ name: "from-elsewhere", currency: "EUR", timeZone: "Europe/Berlin", versions: [] });
        assert.equal((await store.tariffs.tariff("from-elsewhere"))?.timeZone, "Europe/Berlin");
      } finally {
        await other.close();
      }
    });
  });
}

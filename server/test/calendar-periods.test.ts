import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { calendarPeriods, periodOf } from "../src/usage/calendar-periods.js";
import { InvalidUsageError } from "../src/usage/invalid-usage-error.js";
import { periods, type Period } from "../src/usage/period.js";
import { localMidnight } from "../src/usage/time-zone.js";
import type { TimeSpan } from "../src/readings/tally.js";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
// Every offset of these zones since the 1980s is a multiple of 15 minutes, and so is every
// clock change, so a walk on this grid sees every period start.
const step = 15 * minute;

const zones = [
  "UTC",
  "Europe/London",
  "America/New_York",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "America/Santiago", // changes its clocks at midnight
];

const utc = (text: string) => Date.parse(text);
const spans = (...bounds: string[]) => bounds.slice(1).map((end, i) => ({ start: utc(bounds[i]), end: utc(end) }));

describe("calendar periods", () => {
  it("gives Europe/London's week of 2019-03-31 a Sunday of 23 hours", () => {
    const range = { start: utc("2019-03-25T00:00Z"), end: utc("2019-04-01T00:00Z") };
    assert.deepEqual(calendarPeriods(range, "week", "Europe/London"), spans("2019-03-25T00:00Z", "2019-03-31T23:00Z", "2019-04-01T00:00Z"));
    assert.deepEqual(calendarPeriods(range, "day", "Europe/London").at(-2), { start: utc("2019-03-31T00:00Z"), end: utc("2019-03-31T23:00Z") });
  });

  it("gives Europe/London's 2019-10-27 two 01:00 hours and 25 hours", () => {
    const range = { start: utc("2019-10-26T23:00Z"), end: utc("2019-10-27T03:00Z") };
    assert.deepEqual(
      calendarPeriods(range, "hour", "Europe/London"),
      spans("2019-10-26T23:00Z", "2019-10-27T00:00Z", "2019-10-27T01:00Z", "2019-10-27T02:00Z", "2019-10-27T03:00Z"),
    );
    assert.deepEqual(periodOf(utc("2019-10-27T12:00Z"), "day", "Europe/London"), spans("2019-10-26T23:00Z", "2019-10-28T00:00Z")[0]);
  });

  it("starts Asia/Kolkata's days at 18:30Z and its hours at half past", () => {
    assert.deepEqual(periodOf(utc("2019-01-01T12:00Z"), "day", "Asia/Kolkata"), spans("2018-12-31T18:30Z", "2019-01-01T18:30Z")[0]);
    assert.deepEqual(periodOf(utc("2019-01-01T12:00Z"), "hour", "Asia/Kolkata"), spans("2019-01-01T11:30Z", "2019-01-01T12:30Z")[0]);
  });

  it("gives Australia/Lord_Howe's half-hour fall-back a 30-minute hour", () => {
    // At 02:00 +11 the clocks go back to 01:30 +10:30.
    const range = { start: utc("2019-04-06T14:00Z"), end: utc("2019-04-06T16:30Z") };
    assert.deepEqual(calendarPeriods(range, "hour", "Australia/Lord_Howe"), spans("2019-04-06T14:00Z", "2019-04-06T15:00Z", "2019-04-06T15:30Z", "2019-04-06T16:30Z"));
  });

  it("starts America/Santiago's day when its midnight is skipped", () => {
    // On 2019-09-08 the clocks go from 00:00 -04 to 01:00 -03.
    const day = periodOf(utc("2019-09-08T12:00Z"), "day", "America/Santiago");
    assert.deepEqual(day, spans("2019-09-08T04:00Z", "2019-09-09T03:00Z")[0]);
    assert.equal(localMidnight("2019-09-08", "America/Santiago"), day.start);
  });

  it("clips the first and last period to the range and lists nothing for an empty range", () => {
    const range = { start: utc("2019-01-15T10:07Z"), end: utc("2019-03-02T00:00:00.001Z") };
    assert.deepEqual(calendarPeriods(range, "month", "UTC"), [
      { start: range.start, end: utc("2019-02-01T00:00Z") },
      { start: utc("2019-02-01T00:00Z"), end: utc("2019-03-01T00:00Z") },
      { start: utc("2019-03-01T00:00Z"), end: range.end },
    ]);
    assert.deepEqual(calendarPeriods({ start: range.start, end: range.start }, "hour", "UTC"), []);
  });

  it("refuses a range of more than 100,000 periods, saying so", () => {
    const start = utc("2010-01-01T00:00Z");
    assert.equal(calendarPeriods({ start, end: start + 100_000 * hour }, "hour", "Europe/London").length, 100_000);
    assert.throws(
      () => calendarPeriods({ start, end: start + 100_000 * hour + 1 }, "hour", "Europe/London"),
      (error) =>
        error instanceof InvalidUsageError &&
        error.parameter === "period" &&
        error.message === "the range holds at least 100,001 hours, more than the 100,000 one request may list: ask for a longer period or a shorter range",
    );
    // 7.5 days could be 7 periods of the longest day, so only listing them finds the eighth.
    assert.throws(() => calendarPeriods({ start, end: start + 7.5 * day }, "day", "UTC", 7), /at least 8 days, more than the 7 one request/);
    assert.throws(() => calendarPeriods({ start: utc("0001-01-01T00:00Z"), end: utc("9999-01-01T00:00Z") }, "day", "UTC"), /at least 3,\d{3},\d{3} days/);
  });

  it("cuts a period wherever the local calendar label changes, for every period and zone", () => {
    const ranges = fc
      .record({
        zone: fc.constantFrom(...zones),
        start: fc.oneof(
          fc.integer({ min: 0, max: (utc("2026-01-01T00:00Z") - utc("2018-01-01T00:00Z")) / step }).map((steps) => utc("2018-01-01T00:00Z") + steps * step),
          fc
            .record({ year: fc.integer({ min: 2018, max: 2025 }), before: fc.integer({ min: 0, max: 400 }) })
            .map(({ year, before }) => Date.UTC(year + 1, 0, 1) - before * step),
        ),
        aroundClockChange: fc.nat(),
        steps: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 4000 })),
      })
      .map(({ zone, start, aroundClockChange, steps }) => {
        const changes = clockChanges(zone);
        // Half the ranges that could reach a clock change start a few hours to days before one.
        const nearChange = changes.length > 0 && aroundClockChange % 2 === 0;
        const first = nearChange ? changes[aroundClockChange % changes.length] - (aroundClockChange % steps) * step : start;
        return { zone, range: { start: first, end: first + steps * step } };
      });
    fc.assert(
      fc.property(ranges, ({ zone, range }) => {
        const localTimes = gridTimes(range).map((time) => localTime(time, zone));
        for (const period of periods) {
          assert.deepEqual(calendarPeriods(range, period, zone), labelledPeriods(range, localTimes, period), period);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("finds the whole period that contains any instant, in agreement with local midnights", () => {
    const instants = fc.record({
      zone: fc.constantFrom(...zones),
      time: fc.integer({ min: utc("2018-01-01T00:00Z"), max: utc("2026-01-01T00:00Z") }),
      period: fc.constantFrom(...periods),
    });
    fc.assert(
      fc.property(instants, ({ zone, time, period }) => {
        const found = periodOf(time, period, zone);
        const label = (instant: number) => periodLabel(period, localTime(instant, zone));
        assert.ok(found.start <= time && time < found.end);
        assert.notEqual(label(found.start - 1), label(found.start));
        assert.equal(label(found.start), label(time));
        assert.equal(label(found.end - 1), label(time));
        assert.notEqual(label(found.end), label(time));
        if (period !== "hour") {
          const [firstDay, nextFirstDay] = firstLocalDates(time, period, zone);
          assert.deepEqual(found, { start: localMidnight(firstDay, zone), end: localMidnight(nextFirstDay, zone) });
        }
      }),
      { numRuns: 300 },
    );
  });
});

function gridTimes(range: TimeSpan): number[] {
  const times: number[] = [];
  for (let time = range.start; time < range.end; time += step) times.push(time);
  return times;
}

/** The brute-force definition: walk the grid and start a period wherever the label changes. */
function labelledPeriods(range: TimeSpan, localTimes: LocalTime[], period: Period): TimeSpan[] {
  const labels = localTimes.map((local) => periodLabel(period, local));
  const starts = labels.flatMap((label, i) => (i === 0 || label !== labels[i - 1] ? [localTimes[i].time] : []));
  return starts.map((start, i) => ({ start, end: starts[i + 1] ?? range.end }));
}

interface LocalTime {
  time: number;
  year: number;
  month: number;
  day: number;
  hour: number;
  offset: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localTime(time: number, zone: string): LocalTime {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      timeZoneName: "longOffset",
    });
    formatters.set(zone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(time).map(({ type, value }) => [type, value]));
  return { time, year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), offset: parts.timeZoneName };
}

function periodLabel(period: Period, { year, month, day, hour, offset }: LocalTime): string {
  switch (period) {
    case "hour":
      return `${year}-${month}-${day} ${hour} ${offset}`;
    case "day":
      return `${year}-${month}-${day}`;
    case "week":
      return isoWeek(year, month, day);
    case "month":
      return `${year}-${month}`;
    case "quarter":
      return `${year} Q${Math.ceil(month / 3)}`;
    case "year":
      return `${year}`;
  }
}

function isoWeek(year: number, month: number, dayOfMonth: number): string {
  const date = Date.UTC(year, month - 1, dayOfMonth);
  const sinceMonday = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = date + (3 - sinceMonday) * day;
  const weekYear = new Date(thursday).getUTCFullYear();
  return `${weekYear}-W${1 + Math.floor((thursday - Date.UTC(weekYear, 0, 1)) / (7 * day))}`;
}

/** The local dates (YYYY-MM-DD) on which the period containing an instant, and the next one, begin. */
function firstLocalDates(time: number, period: Exclude<Period, "hour">, zone: string): [string, string] {
  const { year, month, day: dayOfMonth } = localTime(time, zone);
  const [first, next] =
    period === "day" ? [Date.UTC(year, month - 1, dayOfMonth), Date.UTC(year, month - 1, dayOfMonth + 1)]
    : period === "week" ? [0, 7].map((days) => Date.UTC(year, month - 1, dayOfMonth - ((new Date(Date.UTC(year, month - 1, dayOfMonth)).getUTCDay() + 6) % 7) + days))
    : period === "month" ? [Date.UTC(year, month - 1, 1), Date.UTC(year, month, 1)]
    : period === "quarter" ? [Date.UTC(year, month - 1 - ((month - 1) % 3), 1), Date.UTC(year, month + 2 - ((month - 1) % 3), 1)]
    : [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1)];
  return [new Date(first).toISOString().slice(0, 10), new Date(next).toISOString().slice(0, 10)];
}

const clockChangesByZone = new Map<string, number[]>();

/** The instants from 2018 to 2026 at which a zone's offset changes, found day by day, then on the grid. */
function clockChanges(zone: string): number[] {
  let changes = clockChangesByZone.get(zone);
  if (changes === undefined) {
    changes = [];
    for (let time = utc("2018-01-01T00:00Z"); time < utc("2026-01-01T00:00Z"); time += day) {
      const offset = localTime(time, zone).offset;
      if (localTime(time + day, zone).offset === offset) continue;
      let change = time + step;
      while (localTime(change, zone).offset === offset) change += step;
      changes.push(change);
    }
    clockChangesByZone.set(zone, changes);
  }
  return changes;
}

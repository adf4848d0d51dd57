import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { quickCsvRow } from "../src/ingest/quick-csv-row.js";
import { parseTimestamp } from "../src/readings/timestamp-text.js";

const dayMs = 86_400_000;

/** Midnight UTC of a day; Date.UTC would read years below 100 as 19xx. */
function utcDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  return date.getTime();
}

describe("the quick reader of common CSV rows", () => {
  it("reads dates of years 1 to 9999 as the full reader does", () => {
    // The days calendars get wrong, of every year, and a stride through all the others.
    const days: number[] = [];
    for (let year = 1; year <= 9999; year++) {
      for (const [month, day] of [[0, 1], [1, 28], [1, 29], [2, 1], [11, 31]]) days.push(utcDay(year, month, day));
    }
    for (let day = utcDay(1, 0, 1); day <= utcDay(9999, 11, 31); day += 37 * dayMs) days.push(day);
    days.forEach((day, n) => {
      const iso = new Date(day + ((n * 7_919_000) % dayMs)).toISOString();
      const naive = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
      for (const [text, value] of [[`${naive},${n / 8}`, n / 8], [`${iso.slice(0, 19)}Z,-${n}`, -n], [`${iso.slice(0, 19)},${n}.`, n]] as const) {
        assert.deepEqual(quickCsvRow(text, n), { line: n, time: parseTimestamp(naive), value }, text);
      }
    });
  });

  it("leaves every other row to the full reader", () => {
    const others = [
      "2019-02-29 00:00:00,1",
      "2019-13-01 00:00:00,1",
      "2019-00-01 00:00:00,1",
      "2019-01-32 00:00:00,1",
      "0000-01-01 00:00:00,1",
      "2019-01-01 24:00:00,1",
      "2019-01-01 00:60:00,1",
      "2019-01-01 00:00:60,1",
      "2019-01-01 00:00:00,",
      "2019-01-01 00:00:00,NaN",
      "2019-01-01 00:00:00,1e5",
      "2019-01-01 00:00:00,+1",
      "2019-01-01 00:00:00,.5",
      "2019-01-01 00:00:00,-",
      "2019-01-01 00:00:00, 1",
      "2019-01-01 00:00:00,1 ",
      "2019-01-01 00:00:00,1,2",
      "2019-01-01 00:00:00,0x10",
      `2019-01-01 00:00:00,${"9".repeat(400)}`,
      "2019-01-01 00:00:00.5,1",
      "2019-01-01 00:00:00+01:00,1",
      "2019-01-01 00:00,1",
      "2019-01-01,1",
      '"2019-01-01 00:00:00","1"',
      " 2019-01-01 00:00:00,1",
      "2019/01/01 00:00:00,1",
      "2019-01-01_00:00:00,1",
      "２019-01-01 00:00:00,1",
      "",
    ];
    for (const text of others) assert.equal(quickCsvRow(text, 2), undefined, text);
  });

  it("keeps what the full reader keeps of unusual but valid numbers", () => {
    for (const value of ["-0", "007", "1.", "0.000", "123456789012345678901234567890", "-55.09"]) {
      const text = `2019-01-01t00:15:00z,${value}`;
      assert.deepEqual(quickCsvRow(text, 9), { line: 9, time: Date.UTC(2019, 0, 1, 0, 15), value: Number(value) }, text);
    }
  });
});

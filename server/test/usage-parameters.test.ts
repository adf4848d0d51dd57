import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidUsageError } from "../src/usage/invalid-usage-error.js";
import { parsePeriod } from "../src/usage/period.js";
import { checkTimeZone, localMidnight } from "../src/usage/time-zone.js";

describe("usage parameters", () => {
  it("reads a period in any case and refuses other words, naming the parameter", () => {
    assert.equal(parsePeriod("Quarter", "period"), "quarter");
    assert.equal(parsePeriod("HOUR", "period"), "hour");
    assert.throws(
      () => parsePeriod("fortnight", "period"),
      (error) =>
        error instanceof InvalidUsageError &&
        error.parameter === "period" &&
        error.message === 'the period "fortnight" is not one of hour, day, week, month, quarter, year',
    );
  });

  it("accepts IANA time zones and UTC and refuses other names, naming the parameter", () => {
    for (const zone of ["UTC", "Europe/London", "Asia/Kathmandu", "America/Argentina/Buenos_Aires"]) assert.equal(checkTimeZone(zone, "tz"), zone);
    assert.throws(
      () => checkTimeZone("Europe/Lundon", "tz"),
      (error) =>
        error instanceof InvalidUsageError &&
        error.parameter === "tz" &&
        error.message === 'the time zone "Europe/Lundon" is not an IANA time zone such as Europe/London',
    );
    for (const zone of ["", "+05:30", "Mars/Olympus_Mons"]) assert.throws(() => checkTimeZone(zone, "time_zone"), InvalidUsageError);
  });

  it("starts a local date at its first instant, and reads only dates", () => {
    assert.equal(localMidnight("2019-07-01", "Europe/London"), Date.UTC(2019, 5, 30, 23));
    assert.equal(localMidnight("2019-01-01", "Asia/Kolkata"), Date.UTC(2018, 11, 31, 18, 30));
    // Santiago's clocks skip 00:00 to 01:00 that day; Havana's go back from 01:00 to 00:00;
    // Samoa skipped 2011-12-30 altogether.
    assert.equal(localMidnight("2019-09-08", "America/Santiago"), Date.UTC(2019, 8, 8, 4));
    assert.equal(localMidnight("2019-11-03", "America/Havana"), Date.UTC(2019, 10, 3, 4));
    assert.equal(localMidnight("2011-12-30", "Pacific/Apia"), localMidnight("2011-12-31", "Pacific/Apia"));
    for (const text of ["2019-02-30", "0000-01-01", "2019-01-01T00:00:00Z", "yesterday"]) assert.equal(localMidnight(text, "UTC"), undefined, text);
  });
});

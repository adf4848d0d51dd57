import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatTimestamp, parseTimestamp } from "../src/readings/timestamp-text.js";

describe("timestamps", () => {
  it("reads a naive time as UTC", () => {
    assert.equal(parseTimestamp("2019-01-01 00:15:00"), Date.UTC(2019, 0, 1, 0, 15));
  });

  it("reads RFC 3339 with Z, with an offset, and with fractional seconds", () => {
    assert.equal(parseTimestamp("2019-01-01T00:15:00Z"), Date.UTC(2019, 0, 1, 0, 15));
    assert.equal(parseTimestamp("2019-01-01T01:15:00+01:00"), Date.UTC(2019, 0, 1, 0, 15));
    assert.equal(parseTimestamp("2018-12-31T19:15:00-0500"), Date.UTC(2019, 0, 1, 0, 15));
    assert.equal(parseTimestamp("2019-01-01T00:15:00.250Z"), Date.UTC(2019, 0, 1, 0, 15, 0, 250));
  });

  it("reads a bare date as its midnight in UTC", () => {
    assert.equal(parseTimestamp("2019-01-02"), Date.UTC(2019, 0, 2));
  });

  it("refuses impossible and malformed times", () => {
    for (const text of ["2019-02-30 00:00:00", "2019-13-01", "2019-01-01 24:00:00", "0000-01-01", "yesterday", "", "2019-01-01T00:15:00ZZ"]) {
      assert.equal(parseTimestamp(text), undefined, text);
    }
  });

  it("writes UTC without fractional seconds unless there are some", () => {
    assert.equal(formatTimestamp(Date.UTC(2019, 0, 1, 0, 15)), "2019-01-01T00:15:00Z");
    assert.equal(formatTimestamp(Date.UTC(2019, 0, 1, 0, 15, 0, 5)), "2019-01-01T00:15:00.005Z");
  });
});

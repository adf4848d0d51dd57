import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readingsJson } from "../src/http/readings-json.js";
import type { Reading } from "../src/readings/reading.js";
import { formatTimestamp } from "../src/readings/timestamp-text.js";

/** How the route wrote each reading before: a Date per time. */
function reference(readings: Reading[]): string {
  return readings.map(({ time, value }) => `{"time":"${formatTimestamp(time)}","value":${value ?? "null"}}`).join(",");
}

describe("the JSON route's text for a batch of readings", () => {
  it("writes every time as formatTimestamp does, from year 1 to 9999, with and without milliseconds", () => {
    const edges = [0, 1, 999, 1000, -1, -999, -1000, -86_400_000, -86_400_001, 86_399_999, -62_135_596_800_000, 253_402_300_799_999];
    const readings: Reading[] = edges.map((time, i) => ({ time, value: i % 3 === 0 ? null : i / 7 }));
    for (let i = 0; i < 20_000; i++) {
      const time = Math.floor((Math.sin(i) * 0.5 + 0.5) * 315_537_897_599_999) - 62_135_596_800_000;
      readings.push({ time: i % 2 === 0 ? time - (time % 1000) : time, value: i % 5 === 0 ? -i : i * 0.01 });
    }
    assert.equal(readingsJson(readings), reference(readings));
  });

  it("writes consecutive readings of one day and the days around it", () => {
    const readings = Array.from({ length: 3000 }, (_, i) => ({ time: Date.UTC(2019, 0, 1) + i * 900_000 - 7, value: 55.09 }));
    assert.equal(readingsJson(readings), reference(readings));
    assert.equal(readingsJson([]), "");
  });
});

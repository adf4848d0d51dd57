import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { InputFindings } from "../src/ingest/input-findings.js";
import { octopusReadings } from "../src/ingest/octopus-json/octopus-readings.js";

const findings = (): InputFindings => ({ format: "octopus-json", sources: [], notes: [] });

/** `time` written with `offset` minutes, in one of the ways an interval_start may be written. */
function written(time: number, offset: number, style: "api" | "fraction" | "compact offset"): string {
  const local = new Date(time + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset < 0 ? "-" : "+";
  const [hours, minutes] = [Math.floor(Math.abs(offset) / 60), Math.abs(offset) % 60].map((n) => String(n).padStart(2, "0"));
  const zone = style === "api" && offset === 0 ? "Z" : style === "compact offset" ? `${sign}${hours}${minutes}` : `${sign}${hours}:${minutes}`;
  return `${local}${style === "fraction" ? ".000" : ""}${zone}`;
}

describe("Octopus interval_start", () => {
  it("is read with its offset however it is written, and the readings come out in time order", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            time: fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2090, 0, 1) / 1000 }).map((seconds) => seconds * 1000),
            offset: fc.constantFrom(0, 60, -300, 330, 345, -570, 840),
            style: fc.constantFrom("api" as const, "fraction" as const, "compact offset" as const),
          }),
          { minLength: 1, maxLength: 50 },
        ),
        (results) => {
          const distinct = [...new Map(results.map((result) => [result.time, result])).values()];
          const page = { count: distinct.length, next: null, results: distinct.map(({ time, offset, style }) => ({ consumption: 1, interval_start: written(time, offset, style) })) };
          const readings = octopusReadings(JSON.stringify(page), { meter: "m" }, findings());
          assert.deepEqual(
            readings.map(({ time }) => time),
            distinct.map(({ time }) => time).sort((a, b) => a - b),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a time that is not one, naming its line", () => {
    for (const start of ["2026-02-30T00:00:00Z", "2026-03-29T24:00:00+01:00", "2026-03-29T01:00:00+0x:00", "2026-03-29T01:00:00"]) {
      const text = `{"results":[\n{"consumption":1,"interval_start":"2026-03-29T00:00:00Z"},\n{"consumption":1,"interval_start":"${start}"}]}`;
      assert.throws(() => octopusReadings(text, { meter: "m" }, findings()), new RegExp(`^FileFormatError: line 3: the page results\\[1\\]\\.interval_start "${start.replace("+", "\\+")}" is not a time with its offset`));
    }
  });
});

import assert from "node:assert/strict";
import { fromBinary, toBinary, toJsonString } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, it } from "node:test";
import { GetUsageResponseSchema } from "../../gen/meterusage/v1/meterusage_pb.js";
import { usageRouteJson } from "../src/http/usage-json.js";
import { formatTimestamp } from "../src/readings/timestamp-text.js";
import { encodeUsagePeriods, preEncodedUsageResponse } from "../src/rpc/encoded-usage.js";
import { usageProtoJson } from "../src/rpc/usage-json.js";
import { usageResponse } from "../src/rpc/usage-messages.js";
import type { Tally, TimeSpan } from "../src/readings/tally.js";
import { periodUsageAt, type PeriodUsage } from "../src/usage/period-usage.js";
import type { Usage } from "../src/usage/read-usage.js";
import { spanTalliesOf } from "./support/stored-tallies.js";

/** A period's usage as the service makes it from its tally. */
function usageOf(period: TimeSpan, tally: Tally): PeriodUsage {
  return periodUsageAt(period, spanTalliesOf([tally]), 0);
}

// Times from year 1 to 9999, as Timestamp allows, to the millisecond.
const time = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 });
// Doubles of every kind, and values of a few decimals as readings, their sums and means are.
const value = fc.oneof(
  fc.double({ noNaN: true }),
  fc.constantFrom(0, -0, 1e-300, Number.MAX_VALUE, -Number.MIN_VALUE),
  fc.tuple(fc.integer({ min: -(10 ** 15), max: 10 ** 15 }), fc.integer({ min: 0, max: 7 })).map(([whole, decimals]) => whole / 10 ** decimals),
);
const count = fc.oneof(fc.constantFrom(0, 1, 127, 128, 2 ** 32, Number.MAX_SAFE_INTEGER), fc.nat());

// A period of a meter with a tariff has all four cost fields; one without, none.
const costs = fc.option(fc.record({ energyCost: value, standingCharge: value, cost: value, unpricedCount: count }), { nil: undefined });

const period: fc.Arbitrary<PeriodUsage> = fc
  .record({ start: time, end: time, count, missingCount: count, sum: value, min: value, max: value, costs })
  .map(({ start, end, count, missingCount, sum, min, max, costs }) => ({
    ...(count === 0 ? usageOf({ start, end }, { count, missingCount, sum: 0 }) : usageOf({ start, end }, { count, missingCount, sum, min, max })),
    ...costs,
  }));
const currency = fc.option(fc.constantFrom("GBP", "EUR", ""), { nil: undefined });

const usage: fc.Arbitrary<Usage> = fc
  .record({
    timeZone: fc.constantFrom("UTC", "Europe/London", "Australia/Lord_Howe"),
    meters: fc.array(fc.record({ meter: fc.string({ unit: "grapheme" }), unit: fc.constantFrom("", "kWh", "m³"), periods: fc.array(period, { maxLength: 12 }), currency }), {
      minLength: 1,
      maxLength: 4,
    }),
    withTotal: fc.boolean(),
    total: fc.array(period, { maxLength: 12 }),
    currency,
  })
  .map(({ timeZone, meters, withTotal, total, currency }) => ({ timeZone, meters, total: withTotal ? total : undefined, currency }));

/** What protobuf-es itself writes for the same usage. */
function reference(answer: Usage): Uint8Array {
  return toBinary(GetUsageResponseSchema, usageResponse(answer));
}

/** What GET /api/usage wrote as objects through JSON.stringify, before its JSON was written as text. */
function routeReference(usage: Usage): string {
  const periodJson = (period: PeriodUsage) => ({ ...period, start: formatTimestamp(period.start), end: formatTimestamp(period.end) });
  return JSON.stringify({
    timeZone: usage.timeZone,
    currency: usage.currency ?? "",
    meters: usage.meters.map(({ meter, unit, periods, currency = "" }) => ({ meter, unit, currency, periods: periods.map(periodJson) })),
    ...(usage.total === undefined ? {} : { total: usage.total.map(periodJson) }),
  });
}

const emptyMeter = { meter: "", unit: "", periods: [] };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("GetUsage answers encoded without message objects", () => {
  it("are the bytes protobuf-es writes, for any times, counts, values, costs, currencies, names and units", () => {
    fc.assert(
      fc.property(usage, (answer) => {
        assert.deepEqual(toBinary(GetUsageResponseSchema, preEncodedUsageResponse(answer)), reference(answer));
      }),
      { numRuns: 500 },
    );
  });

  it("are, as Connect JSON, the text protobuf-es writes, and as GET /api/usage what JSON.stringify wrote", () => {
    fc.assert(
      fc.property(usage, (answer) => {
        assert.equal(text(usageProtoJson(answer)), toJsonString(GetUsageResponseSchema, usageResponse(answer)));
        assert.equal(text(usageRouteJson(answer)), routeReference(answer));
      }),
      // Meters with no field set, one after another: what a random run found once.
      { numRuns: 500, examples: [[{ timeZone: "UTC", meters: [emptyMeter, emptyMeter] }]] },
    );
  });

  it("write each period's bounds as it is, when meters share periods and a start comes again with another end", () => {
    // The JSON writers write a span's text once and copy it after: bounds from a few times make
    // every meter's periods repeat, and the same start with other ends.
    const bound = fc.constantFrom(-62_135_596_800_000, -1, 0, 1, 3_600_000, 86_400_000, 253_402_300_799_999);
    const sharedPeriod = fc.tuple(period, bound, bound).map(([usage, start, end]) => ({ ...usage, start, end }));
    const meter = fc.record({ meter: fc.constantFrom("a", "b"), unit: fc.constant("kWh"), periods: fc.array(sharedPeriod, { maxLength: 8 }) });
    fc.assert(
      fc.property(fc.array(meter, { minLength: 1, maxLength: 5 }), fc.array(sharedPeriod, { maxLength: 8 }), (meters, total) => {
        const answer: Usage = { timeZone: "UTC", meters, total };
        assert.equal(text(usageProtoJson(answer)), toJsonString(GetUsageResponseSchema, usageResponse(answer)));
        assert.equal(text(usageRouteJson(answer)), routeReference(answer));
      }),
      { numRuns: 500 },
    );
  });

  it("stay exact when a meter's list runs to hundreds of kilobytes", () => {
    const hours = Array.from({ length: 8784 }, (_, i) => {
      const start = Date.UTC(2020, 0, 1) + i * 3_600_000;
      return usageOf({ start, end: start + 3_600_000 }, i % 5 === 0 ? { count: 0, missingCount: 4, sum: 0 } : { count: 4, missingCount: 0, sum: i / 3, min: i / 12, max: i / 4 });
    });
    const answer: Usage = { timeZone: "Europe/London", meters: [{ meter: "meter-0001", unit: "kWh", periods: hours }, { meter: "meter-0002", unit: "kWh", periods: hours }], total: hours };
    const bytes = toBinary(GetUsageResponseSchema, preEncodedUsageResponse(answer));
    assert.ok(bytes.length > 500_000);
    assert.deepEqual(bytes, reference(answer));
    assert.deepEqual(fromBinary(GetUsageResponseSchema, bytes), fromBinary(GetUsageResponseSchema, reference(answer)));
    assert.equal(text(usageProtoJson(answer)), toJsonString(GetUsageResponseSchema, usageResponse(answer)));
    assert.equal(text(usageRouteJson(answer)), routeReference(answer));
  });

  it("write nothing of their own for an answer with no meters", () => {
    assert.equal(encodeUsagePeriods({ timeZone: "UTC", meters: [] }).length, 0);
    assert.deepEqual(toBinary(GetUsageResponseSchema, preEncodedUsageResponse({ timeZone: "UTC", meters: [] })), reference({ timeZone: "UTC", meters: [] }));
  });
});

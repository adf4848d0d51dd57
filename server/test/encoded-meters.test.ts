import assert from "node:assert/strict";
import { create, toBinary, toJsonString } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, it } from "node:test";
import { ListMetersResponseSchema } from "../../gen/meterusage/v1/meterusage_pb.js";
import type { Meter } from "../src/meters/meter.js";
import { metersRouteJson } from "../src/http/meters-json.js";
import { formatTimestamp } from "../src/readings/timestamp-text.js";
import { encodeMeters, preEncodedMetersResponse } from "../src/rpc/encoded-meters.js";
import { meterMessage } from "../src/rpc/meter-messages.js";
import { metersProtoJson } from "../src/rpc/meters-json.js";

const time = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 });

const meter: fc.Arbitrary<Meter> = fc.record(
  {
    name: fc.string({ unit: "grapheme", maxLength: 200 }),
    count: fc.oneof(fc.constantFrom(0, 127, 128, 2 ** 32, Number.MAX_SAFE_INTEGER), fc.nat()),
    firstTime: time,
    lastTime: time,
    unit: fc.constantFrom("", "kWh", "m³"),
    timeZone: fc.constantFrom("", "UTC", "Europe/London", "America/Argentina/ComodRivadavia"),
    tariff: fc.constantFrom("", "octopus-go", "agile"),
  },
  { requiredKeys: ["name", "count", "unit", "timeZone"] },
);

/** What protobuf-es itself writes for the same meters. */
function reference(meters: Meter[], defaultMeter: string): Uint8Array {
  return toBinary(ListMetersResponseSchema, create(ListMetersResponseSchema, { meters: meters.map(meterMessage), defaultMeter }));
}

/** What GET /api/meters wrote as an object through JSON.stringify, before its JSON was written as text. */
function routeReference(meters: Meter[], defaultMeter: string): string {
  return JSON.stringify({
    meters: meters.map(({ firstTime, lastTime, ...meter }) => ({
      ...meter,
      firstTime: firstTime === undefined ? undefined : formatTimestamp(firstTime),
      lastTime: lastTime === undefined ? undefined : formatTimestamp(lastTime),
    })),
    defaultMeter,
  });
}

const emptyMeter: Meter = { name: "", count: 0, unit: "", timeZone: "" };
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe("ListMeters answers encoded without message objects", () => {
  it("are the bytes protobuf-es writes, for any names, counts, times, units, zones and default meter", () => {
    fc.assert(
      fc.property(fc.array(meter, { maxLength: 20 }), fc.constantFrom("", "meterusage", "flat-1"), (meters, defaultMeter) => {
        assert.deepEqual(toBinary(ListMetersResponseSchema, preEncodedMetersResponse(meters, defaultMeter)), reference(meters, defaultMeter));
      }),
      { numRuns: 500 },
    );
  });

  it("stay exact for a fleet of thousands", () => {
    const fleet = Array.from({ length: 5000 }, (_, i) => ({
      name: `meter-${String(i + 1).padStart(4, "0")}`,
      count: 35_040,
      firstTime: Date.UTC(2019, 0, 1),
      lastTime: Date.UTC(2019, 11, 31, 23, 45),
      unit: "kWh",
      timeZone: "Europe/London",
    }));
    assert.deepEqual(encodeMeters(fleet, "meter-0001"), reference(fleet, "meter-0001"));
    assert.equal(encodeMeters([], "").length, 0);
  });

  it("are, as Connect JSON, the text protobuf-es writes, and as GET /api/meters what JSON.stringify wrote", () => {
    fc.assert(
      fc.property(fc.array(meter, { maxLength: 20 }), fc.constantFrom("", "meterusage", "flat-1"), (meters, defaultMeter) => {
        const message = create(ListMetersResponseSchema, { meters: meters.map(meterMessage), defaultMeter });
        assert.equal(text(metersProtoJson(meters, defaultMeter)), toJsonString(ListMetersResponseSchema, message));
        assert.equal(text(metersRouteJson(meters, defaultMeter)), routeReference(meters, defaultMeter));
      }),
      // Meters with no field set, one after another, with and without a default: what a random run found once.
      {
        numRuns: 500,
        examples: [
          [[emptyMeter, emptyMeter], ""],
          [[emptyMeter, emptyMeter], "flat-1"],
          [[], ""],
        ],
      },
    );
  });
});

import assert from "node:assert/strict";
import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import fc from "fast-check";
import { describe, it } from "node:test";
import { ReadingSchema, StreamReadingsResponseSchema } from "../../gen/meterusage/v1/meterusage_pb.js";
import { columnsJson } from "../src/http/readings-json.js";
import { writeShortDecimal } from "../src/readings/json-numbers.js";
import { readingsOf, type ReadingColumns } from "../src/readings/reading-columns.js";
import type { Reading } from "../src/readings/reading.js";
import { formatTimestamp } from "../src/readings/timestamp-text.js";
import { encodeColumns, encodeReadings } from "../src/rpc/encoded-readings.js";

/** The JSON route's text for readings as it was written before: a Date and a template string per reading. */
function jsonReference(readings: Reading[]): string {
  return readings.map(({ time, value }) => `{"time":"${formatTimestamp(time)}","value":${value ?? "null"}}`).join(",");
}

/** What protobuf-es itself writes for the same readings. */
function protoReference(readings: Reading[]): Uint8Array {
  const message = create(StreamReadingsResponseSchema, {
    readings: readings.map(({ time, value }) => create(ReadingSchema, { time: timestampFromMs(time), value: value ?? undefined })),
  });
  return toBinary(StreamReadingsResponseSchema, message);
}

/** Values of every kind a store keeps: meter decimals of 0 to 15 places, integers to 2^53, subnormals, the extremes, missing ones. */
const value: fc.Arbitrary<number> = fc.oneof(
  fc.constant(Number.NaN),
  fc.double({ noNaN: true }),
  fc.double({ noNaN: true, min: -1e-300, max: 1e-300 }),
  fc.constantFrom(0, -0, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** 53, -(2 ** 53), 2 ** 53 - 1, 1e21, 1e-7, 1e-6, 123e-7, 0.1, 0.3, 1e15, 999_999_999_999_999, Infinity, -Infinity),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.tuple(fc.integer({ min: -(10 ** 15), max: 10 ** 15 }), fc.integer({ min: 0, max: 15 })).map(([n, e]) => n / 10 ** e),
  fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 7 })).map(([n, e]) => n / 10 ** e),
);

/** Increasing times from year 1 to 9999, in whole quarter-hours, seconds or milliseconds. */
const columns: fc.Arbitrary<ReadingColumns> = fc
  .tuple(
    fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 - 10 ** 12 }),
    fc.array(fc.tuple(fc.oneof(fc.constant(900_000), fc.integer({ min: 1, max: 10 ** 9 })), value), { maxLength: 400 }),
  )
  .map(([first, steps]) => {
    const times = new Float64Array(steps.length);
    const values = new Float64Array(steps.length);
    let time = first;
    steps.forEach(([step, v], i) => {
      time += step;
      times[i] = time;
      values[i] = v;
    });
    return { times, values };
  });

describe("readings written to the wire from columns", () => {
  it("write the JSON route's text as readings were written before, value by value", () => {
    fc.assert(
      fc.property(columns, fc.boolean(), (read, separated) => {
        const expected = jsonReference(readingsOf(read));
        const text = columnsJson(read, separated).toString("latin1");
        assert.equal(text, separated && expected !== "" ? `,${expected}` : expected);
      }),
      { numRuns: 300 },
    );
  });

  it("print decimals as JavaScript does, or leave them to it", () => {
    const bytes = new Uint8Array(40);
    fc.assert(
      fc.property(value, (v) => {
        const end = writeShortDecimal(bytes, 0, v);
        if (end >= 0) assert.equal(Buffer.from(bytes.subarray(0, end)).toString("latin1"), String(v));
      }),
      { numRuns: 20_000 },
    );
    for (const decimal of [55.09, 0.001, 1e-6, 100, 120.5, -0.5, 999_999_999_999_999]) assert.ok(writeShortDecimal(bytes, 0, decimal) > 0, `${decimal} takes the short way`);
  });

  it("encode the same protobuf bytes as protobuf-es and as encodeReadings", () => {
    fc.assert(
      fc.property(columns, (read) => {
        const readings = readingsOf(read);
        const bytes = encodeColumns(read);
        assert.deepEqual(bytes, protoReference(readings));
        assert.deepEqual(bytes, encodeReadings(readings));
      }),
      { numRuns: 300 },
    );
  });

  it("keep each batch's bytes when the next batch is written", () => {
    const first: ReadingColumns = { times: Float64Array.of(0, 900_000), values: Float64Array.of(1.5, Number.NaN) };
    const second: ReadingColumns = { times: Float64Array.of(1_800_000), values: Float64Array.of(2) };
    const json = columnsJson(first);
    const proto = encodeColumns(first);
    columnsJson(second);
    encodeColumns(second);
    assert.equal(json.toString("latin1"), '{"time":"1970-01-01T00:00:00Z","value":1.5},{"time":"1970-01-01T00:15:00Z","value":null}');
    assert.deepEqual(proto, protoReference(readingsOf(first)));
  });
});

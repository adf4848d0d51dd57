import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, it } from "node:test";
import { hasShortDecimal } from "../src/readings/json-numbers.js";
import { JsonWriter } from "../src/readings/json-writer.js";
import { formatTimestamp } from "../src/readings/timestamp-text.js";

const text = (json: JsonWriter) => new TextDecoder().decode(json.finish());

// Whole numbers over powers of ten, as readings and their sums and means are, near every
// edge of the fast path: 15 and 16 digits, a millionth and less, negative, zero and -0.
const decimal = fc
  .tuple(fc.oneof(fc.integer(), fc.integer({ min: -(10 ** 16), max: 10 ** 16 }), fc.integer({ min: -1000, max: 1000 })), fc.integer({ min: 0, max: 9 }))
  .map(([whole, decimals]) => whole / 10 ** decimals);
const sumOfReadings = fc.array(fc.integer({ min: -100_000, max: 100_000 }), { minLength: 1, maxLength: 8 }).map((hundredths) => {
  const sum = hundredths.reduce((total, value) => total + value / 100, 0);
  return [sum, sum / hundredths.length];
});
const edges = fc.constantFrom(0, -0, 1e-6, 1e-7, 0.000001, 1.5e-6, 999_999_999_999_999, 1e15, 1e15 - 0.5, 123_456_789.012_345, 999_999_999.999_999, -999_999_999.999_999, 1e9, 1e9 + 0.5, 1e9 - 1e-6, 4_503_599_627.370_496, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 2 ** 53, 1e21, 5e-324, -1.2345678901234567e-308);
const finiteDouble = fc.oneof(decimal, sumOfReadings.map(([sum]) => sum), sumOfReadings.map(([, mean]) => mean), edges, fc.double({ noNaN: true, noDefaultInfinity: true }));

/** The values as a JSON list, each by finiteNumber. */
function numberList(json: JsonWriter, values: number[]): JsonWriter {
  json.ascii("[");
  values.forEach((value, index) => {
    if (index > 0) json.ascii(",");
    json.finiteNumber(value);
  });
  return json.ascii("]");
}

describe("JSON written into bytes", () => {
  it("writes times as formatTimestamp does, quoted, from year 1 to 9999 and beyond", () => {
    const time = fc.oneof(
      fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }),
      fc.integer({ min: -1e15, max: 1e15 }),
      fc.constantFrom(0, -1, 951_782_400_000, 4_107_542_400_000, -62_135_596_800_000, 253_402_300_799_999, 253_402_300_800_000),
    );
    fc.assert(
      fc.property(time, (at) => {
        assert.equal(text(new JsonWriter().timestamp(at)), JSON.stringify(formatTimestamp(at)));
      }),
      { numRuns: 5000 },
    );
  });

  it("writes strings and numbers as JSON.stringify does, growing past its first buffer", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), fc.double()), { maxLength: 2000 }), (parts) => {
        const json = new JsonWriter().ascii("[");
        parts.forEach((part, index) => {
          if (index > 0) json.ascii(",");
          if (typeof part === "string") json.string(part);
          else json.number(part);
        });
        assert.equal(text(json.ascii("]")), JSON.stringify(parts));
      }),
      { numRuns: 200 },
    );
  });

  it("writes numbers of a few decimals from their digits exactly as String does, and every other double too", () => {
    fc.assert(
      fc.property(fc.array(finiteDouble), (values) => {
        assert.equal(text(numberList(new JsonWriter(8), values)), `[${values.map(String).join(",")}]`);
      }),
      { numRuns: 2000 },
    );
  });

  it("writes the long numbers it was told to expect as String does, and those met out of their turn too", () => {
    // The list told may match what is written, or miss some of it, or hold numbers never written.
    const told = (values: number[]) =>
      fc.oneof(
        fc.constant(values.filter((value) => !hasShortDecimal(value))),
        fc.subarray(values.filter((value) => !hasShortDecimal(value))),
        fc.array(finiteDouble).map((others) => [...others, ...values].filter((value) => !hasShortDecimal(value))),
      );
    fc.assert(
      fc.property(
        fc.array(finiteDouble).chain((values) => fc.tuple(fc.constant(values), told(values))),
        ([values, expected]) => {
          assert.equal(text(numberList(new JsonWriter(8).expectLongNumbers(expected), values)), `[${values.map(String).join(",")}]`);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("writes counts as String does", () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constantFrom(0, 9, 10, 2 ** 31 - 1, 2 ** 31, 2 ** 32, Number.MAX_SAFE_INTEGER)), (count) => {
        assert.equal(text(new JsonWriter(1).count(count)), String(count));
      }),
      { numRuns: 2000 },
    );
  });
});

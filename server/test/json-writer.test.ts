import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, it } from "node:test";
import { JsonWriter } from "../src/readings/json-writer.js";
import { formatTimestamp } from "../src/readings/timestamp-text.js";

const text = (json: JsonWriter) => new TextDecoder().decode(json.finish());

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
});

import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, it } from "node:test";
import zlib from "node:zlib";
import { chunkCount, chunkEncoding, decodeChunk, decodeChunkInto, encodeChunk, maxChunkCount } from "../src/chunks/chunk-codec.js";
import { CorruptChunkError } from "../src/chunks/corrupt-chunk-error.js";
import { crc32, crc32ByTables } from "../src/chunks/crc32.js";

const quarterHour = 15 * 60_000;
const year2019 = Date.UTC(2019, 0, 1);
const maxSafe = Number.MAX_SAFE_INTEGER;

/** A chunk's readings as generated: times strictly increasing safe integers, values any float64 (NaN for missing). */
interface Readings {
  times: number[];
  values: number[];
}

// --- times -------------------------------------------------------------------------------

/** Strictly increasing times from deltas: gaps of 1 ms, of a quarter hour, of years, anything. */
function timesFrom(first: number, deltas: number[]): number[] {
  const times = [first];
  for (const delta of deltas) times.push(times[times.length - 1] + delta);
  return times;
}

const delta = fc.oneof(
  fc.constantFrom(1, 2, 1000, quarterHour, 3_600_000, 86_400_000, 366 * 86_400_000, 30 * 366 * 86_400_000),
  fc.integer({ min: 1, max: 2 ** 31 }),
  fc.integer({ min: 1, max: 2 ** 45 }),
);

/** At fixed intervals, starting anywhere from far before 1970 to far after. */
const regularTimes = (length: number) =>
  fc.record({ first: fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), step: fc.oneof(fc.constantFrom(1, 1000, quarterHour, 3_600_000), fc.integer({ min: 1, max: 2 ** 30 })) }).map(({ first, step }) =>
    Array.from({ length }, (_, i) => first + i * step),
  );

/** Mostly regular, with gaps where a meter was offline and readings a little early or late. */
const gappyTimes = (length: number) =>
  fc.record({ first: fc.integer({ min: -(2 ** 45), max: 2 ** 45 }), irregular: fc.array(fc.tuple(fc.nat(length), delta), { maxLength: 5 }) }).map(({ first, irregular }) => {
    const deltas = Array.from({ length: length - 1 }, () => quarterHour);
    for (const [at, gap] of irregular) if (at < deltas.length) deltas[at] = gap;
    return timesFrom(first, deltas);
  });

const irregularTimes = (length: number) => fc.record({ first: fc.integer({ min: -(2 ** 48), max: 2 ** 48 }), deltas: fc.array(delta, { minLength: length - 1, maxLength: length - 1 }) }).map(({ first, deltas }) => timesFrom(first, deltas));

/** Times at the ends of the safe range, more than 2^52 ms apart. */
const extremeTimes = (length: number) =>
  fc.uniqueArray(fc.integer({ min: -maxSafe, max: maxSafe }), { minLength: length, maxLength: length }).map((times) => {
    const sorted = times.sort((a, b) => a - b);
    if (length >= 2) [sorted[0], sorted[length - 1]] = [-maxSafe, maxSafe];
    return sorted;
  });

const anyTimes = (length: number) => fc.oneof(regularTimes(length), gappyTimes(length), irregularTimes(length), extremeTimes(length)).filter((times) => times.every(Number.isSafeInteger));

// --- values ------------------------------------------------------------------------------

/** A decimal with 0 to 15 digits after the point, as a float64 parsed from its text would be. */
const decimal = fc.record({ digits: fc.integer({ min: 0, max: 15 }), units: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }) }).map(({ digits, units }) => Number((units / 10 ** digits).toFixed(digits)));

const specialValue = fc.constantFrom(
  NaN,
  -0,
  0,
  Infinity,
  -Infinity,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  2.2250738585072014e-308,
  2 ** 53,
  -(2 ** 53),
  maxSafe,
  0.1,
  1 / 3,
  Math.PI,
);

/** A column of `length` values in one of the shapes meter data takes, or none it should. */
const valuesOf = (length: number) =>
  fc.oneof(
    // Meter readings: a few decimals, noisy around a level, some missing.
    fc.record({ digits: fc.integer({ min: 0, max: 4 }), level: fc.integer({ min: -1e6, max: 1e7 }), noise: fc.array(fc.integer({ min: -5000, max: 5000 }), { minLength: length, maxLength: length }), missing: fc.array(fc.boolean(), { minLength: length, maxLength: length }) }).map(
      ({ digits, level, noise, missing }) => noise.map((n, i) => (missing[i] && i % 7 === 0 ? NaN : Number(((level + n) / 10 ** digits).toFixed(digits)))),
    ),
    // A random walk of decimals with up to 15 digits.
    fc.record({ digits: fc.integer({ min: 0, max: 15 }), start: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), steps: fc.array(fc.integer({ min: -1e6, max: 1e6 }), { minLength: length, maxLength: length }) }).map(({ digits, start, steps }) => {
      let units = start;
      return steps.map((step) => Number(((units += step) / 10 ** digits).toFixed(digits)));
    }),
    // Constant runs.
    fc.tuple(fc.oneof(decimal, specialValue), fc.integer({ min: 1, max: 40 }), decimal).map(([value, run, other]) => Array.from({ length }, (_, i) => (Math.floor(i / run) % 2 === 0 ? value : other))),
    // Integers up to 2^53, as registers count: wide deltas, and past 2^51 floats.
    fc.array(fc.oneof(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.integer({ min: -maxSafe, max: maxSafe }), fc.constantFrom(2 ** 53, -(2 ** 53))), { minLength: length, maxLength: length }),
    // Anything a float64 can be, NaN payloads, subnormals and -0 included.
    fc.array(fc.double(), { minLength: length, maxLength: length }),
    // Mostly decimals, with a special value or a missing one here and there.
    fc.array(fc.oneof({ weight: 8, arbitrary: decimal }, { weight: 1, arbitrary: specialValue }), { minLength: length, maxLength: length }),
  );

const readings = (maxLength: number) =>
  fc.integer({ min: 0, max: maxLength }).chain((length) =>
    fc.record({ times: length === 0 ? fc.constant<number[]>([]) : anyTimes(length), values: valuesOf(length) }),
  );

/** The values as they must read back: NaN stays NaN (any payload), -0 may read as 0, all else bit for bit. */
function assertSameReadings(decoded: { times: Float64Array; values: Float64Array }, expected: Readings): void {
  assert.equal(decoded.times.length, expected.times.length);
  assert.equal(decoded.values.length, expected.times.length);
  for (let i = 0; i < expected.times.length; i++) {
    assert.ok(Object.is(decoded.times[i], expected.times[i]), `time ${i}: ${decoded.times[i]} read back for ${expected.times[i]}`);
    const [got, want] = [decoded.values[i], expected.values[i]];
    const same = Number.isNaN(want) ? Number.isNaN(got) : Object.is(want, -0) ? got === 0 : Object.is(got, want);
    assert.ok(same, `value ${i}: ${got} read back for ${want}`);
  }
}

function roundTrip(chunk: Readings): Uint8Array {
  const bytes = encodeChunk(chunk.times, chunk.values);
  assert.equal(chunkCount(bytes), chunk.times.length);
  assertSameReadings(decodeChunk(bytes), chunk);
  return bytes;
}

describe("a chunk reads back exactly what was encoded", () => {
  it("for generated times and values of every kind: fixed, gappy, irregular and extreme times; decimals, walks, runs, integers, any float64, missing values", () => {
    fc.assert(fc.property(readings(300), (chunk) => void roundTrip(chunk)), { numRuns: 1500 });
  });

  it("for chunks longer than a packed block, where block widths change", () => {
    fc.assert(fc.property(readings(1200), (chunk) => void roundTrip(chunk)), { numRuns: 150 });
  });

  it("for the named edge cases, each alone and among meter readings", () => {
    const edges = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e308, -1e308, Number.MAX_VALUE, Infinity, -Infinity, NaN, 2 ** 53, -(2 ** 53), maxSafe, 0.1, 0.123456789012345, 123456.789012345, 55.09];
    for (const value of edges) {
      roundTrip({ times: [0], values: [value] });
      roundTrip({ times: [-1, 0, 1], values: [55.09, value, 55.1] });
      roundTrip({ times: [-maxSafe, 0, maxSafe], values: [value, value, value] });
    }
    roundTrip({ times: [], values: [] });
    roundTrip({ times: [year2019, year2019 + 1], values: [NaN, NaN] });
  });

  it("for decimals with 0 to 15 digits after the point, every count of digits", () => {
    for (let digits = 0; digits <= 15; digits++) {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: -(2 ** 49), max: 2 ** 49 }), { minLength: 1, maxLength: 200 }), (units) => {
          const values = units.map((u) => Number((u / 10 ** digits).toFixed(digits)));
          roundTrip({ times: values.map((_, i) => year2019 + i * quarterHour), values });
        }),
        { numRuns: 40 },
      );
    }
  });

  it("decodes into given columns at an offset, leaving the rest of them alone, so a range's chunks fill one pair of arrays", () => {
    fc.assert(
      fc.property(fc.array(readings(150), { minLength: 1, maxLength: 5 }), fc.nat(10), (chunks, offset) => {
        const total = chunks.reduce((sum, chunk) => sum + chunk.times.length, 0);
        const columns = { times: new Float64Array(offset + total + 3).fill(-7), values: new Float64Array(offset + total + 3).fill(-7) };
        let at = offset;
        for (const chunk of chunks) at += decodeChunkInto(encodeChunk(chunk.times, chunk.values), columns, at);
        assert.equal(at, offset + total);
        const slice = (array: Float64Array) => array.subarray(offset, offset + total);
        assertSameReadings({ times: slice(columns.times), values: slice(columns.values) }, { times: chunks.flatMap((c) => c.times), values: chunks.flatMap((c) => c.values) });
        for (const array of [columns.times, columns.values]) assert.deepEqual([...array.subarray(0, offset), ...array.subarray(offset + total)], Array(offset + 3).fill(-7));
      }),
      { numRuns: 200 },
    );
    const bytes = encodeChunk([1, 2, 3], [1, 2, 3]);
    assert.throws(() => decodeChunkInto(bytes, { times: new Float64Array(3), values: new Float64Array(3) }, 1), RangeError);
    assert.throws(() => decodeChunkInto(bytes, { times: new Float64Array(3), values: new Float64Array(2) }), RangeError);
  });

  it("encodes the first `count` readings when given a count", () => {
    const bytes = encodeChunk([1, 2, 3, 4], [10, 20, 30, 40], 2);
    assert.equal(chunkCount(bytes), 2);
    assertSameReadings(decodeChunk(bytes), { times: [1, 2], values: [10, 20] });
    assert.equal(chunkCount(encodeChunk(new Float64Array(0), new Float64Array(0))), 0);
  });
});

describe("chunks of format version 1, as the first chunked stores wrote them", () => {
  // Written by the codec of commit 44606c2, whose regular times always held a count of exceptions.
  const t0 = year2019;
  const q = quarterHour;
  const written: [string, Readings][] = [
    ["01140a80f8d6b5802da0f736000102028a560b02688100f5010000942825fd26a878", { times: Array.from({ length: 10 }, (_, i) => t0 + i * q), values: [55.09, 55.1, NaN, 54.87, 60, 61.25, 61.25, 61.25, 58.5, 57.01] }],
    ["01100580f8d6b5802da0f7360102c085810603d20f0a0214a0fe7c7b255cab", { times: [t0, t0 + q, t0 + 2 * q, t0 + 10 * q, t0 + 11 * q], values: [1.001, 1.002, 0.999, 1.5, 1.25] }],
    [
      "01690605121000281f200080cf07709d0310343333333333d33f555555555555d53f000000000000f0ff0100000000000000a0c8eb85f3cce17f899e3da7",
      { times: [-5, 3, 1000, 1001, 5000, 123456], values: [0.1 + 0.2, 1 / 3, -Infinity, 5e-324, NaN, 1e308] },
    ],
    ["014e03ffffffffffffff0f0000000000000000ffffffffffff3f43251451d0", { times: [-maxSafe, 0, maxSafe], values: [NaN, NaN, NaN] }],
    ["01100180f8d6b5802d0054d084fc33", { times: [t0], values: [42] }],
    ["01000025b383fe", { times: [], values: [] }],
  ];

  it("still read exactly", () => {
    for (const [hex, readings] of written) {
      const bytes = Uint8Array.from(Buffer.from(hex, "hex"));
      assert.equal(chunkCount(bytes), readings.times.length);
      assertSameReadings(decodeChunk(bytes), readings);
    }
  });
});

describe("the encoding chosen fits the data", () => {
  const fixed = (length: number, value: (i: number) => number) => ({ times: Array.from({ length }, (_, i) => year2019 + i * quarterHour), values: Array.from({ length }, (_, i) => value(i)) });
  /** Noisy 3-decimal readings, as a meter's quarter-hours are. */
  const noisy = (i: number) => Number((55 + 20 * Math.sin(i / 15) + ((i * 7919) % 3000) / 100 + (i % 7) / 1000).toFixed(3));

  it("a fixed-interval chunk stores no time per reading: a thousand readings of one constant take a few dozen bytes", () => {
    const bytes = roundTrip(fixed(1000, () => 42.5));
    assert.deepEqual(chunkEncoding(bytes), { count: 1000, times: "regular", missing: "none", values: "decimal", exponent: 1 });
    assert.ok(bytes.length < 40, `${bytes.length} bytes`);
  });

  it("a fixed interval with a gap where the meter was offline is still regular, with the gap as an exception", () => {
    const chunk = fixed(1000, noisy);
    chunk.times = chunk.times.map((time, i) => (i >= 500 ? time + 6 * 3_600_000 : time));
    const gapped = roundTrip(chunk);
    assert.equal(chunkEncoding(gapped).times, "regular");
    // A count of exceptions, the index, and the 6 hours in seconds: 1 + 2 + 3 bytes.
    assert.equal(gapped.length - encodeChunk(fixed(1000, noisy).times, chunk.values).length, 6);
  });

  it("irregular times are packed deltas, and only deltas past 2^52 ms are stored raw", () => {
    const jitter = (i: number) => Math.floor(Math.abs(Math.sin(i * 12.9898) * 43758.5453) % 5000);
    const jittered = roundTrip({ times: Array.from({ length: 500 }, (_, i) => i * quarterHour + jitter(i)), values: Array.from({ length: 500 }, noisy) });
    assert.equal(chunkEncoding(jittered).times, "deltas");
    assert.equal(chunkEncoding(roundTrip({ times: [-maxSafe, 0, 1, maxSafe], values: [1, 2, 3, 4] })).times, "raw");
  });

  it("times in whole seconds are stored in seconds: irregular ones take 10 bits less a reading than with milliseconds", () => {
    const jitter = (i: number) => Math.floor(Math.abs(Math.sin(i * 12.9898) * 43758.5453) % 300);
    const values = Array.from({ length: 500 }, noisy);
    const seconds = roundTrip({ times: values.map((_, i) => year2019 + i * quarterHour + 1000 * jitter(i)), values });
    const milliseconds = roundTrip({ times: values.map((_, i) => year2019 + i * quarterHour + 1000 * jitter(i) + (i === 7 ? 1 : 0)), values });
    assert.ok(milliseconds.length - seconds.length >= (499 * 9) / 8, `${seconds.length} against ${milliseconds.length} bytes`);
    roundTrip({ times: [-(2 ** 53) + 992, -1000, 0, 1000, 2 ** 53 - 992], values: [1, 2, 3, 4, 5] });
    assert.equal(chunkEncoding(roundTrip({ times: [2 ** 53 - 4992, 2 ** 53 - 2992, 2 ** 53 - 992], values: [1, 2, 3] })).times, "regular");
  });

  it("3-decimal readings are decimal-scaled at exponent 3 and take under 2 bytes a reading", () => {
    const bytes = roundTrip(fixed(1000, noisy));
    assert.deepEqual(chunkEncoding(bytes), { count: 1000, times: "regular", missing: "none", values: "decimal", exponent: 3 });
    assert.ok(bytes.length / 1000 < 2, `${bytes.length / 1000} B a reading`);
  });

  it("each value gets the smallest exponent that reads it back exactly", () => {
    for (const [values, exponent] of [[[1, 2, 3], 0], [[1.5, 2], 1], [[0.1, 0.2, 0.3], 1], [[55.09], 2], [[1e-15], 15], [[123456.789012345], 9]] as const) {
      assert.equal(chunkEncoding(encodeChunk(values.map((_, i) => i), values)).exponent, exponent, `${values}`);
    }
  });

  it("values no decimal exponent makes exact are stored as float64", () => {
    for (const values of [[1 / 3], [5e-324], [1e308], [Infinity], [2 ** 53], [0.1 + 0.2]]) {
      assert.equal(chunkEncoding(roundTrip({ times: values.map((_, i) => i), values })).values, "float", `${values}`);
    }
  });

  it("missing readings cost nothing when there are none, a position each when few, a bitmap when many", () => {
    assert.equal(chunkEncoding(encodeChunk(...columns(fixed(500, noisy)))).missing, "none");
    assert.equal(chunkEncoding(roundTrip(fixed(500, (i) => (i % 100 === 3 ? NaN : noisy(i))))).missing, "positions");
    assert.equal(chunkEncoding(roundTrip(fixed(500, (i) => (i % 3 === 0 ? NaN : noisy(i))))).missing, "bitmap");
    assert.deepEqual(chunkEncoding(roundTrip(fixed(500, () => NaN))), { count: 500, times: "regular", missing: "all", values: "none" });
  });
});

describe("times the codec refuses", () => {
  it("throws RangeError for times that are not strictly increasing safe integers, or a count it does not have", () => {
    for (const times of [[0, 0], [1, 0], [0.5], [NaN], [Infinity], [2 ** 53], [-(2 ** 53)], [0, 1, 1]]) {
      assert.throws(() => encodeChunk(times, times.map(() => 1)), RangeError, `${times}`);
    }
    assert.throws(() => encodeChunk([1, 2], [1]), RangeError);
    assert.throws(() => encodeChunk([1, 2], [1, 2], 3), RangeError);
    assert.throws(() => encodeChunk([1, 2], [1, 2], -1), RangeError);
    assert.throws(() => encodeChunk([1, 2], [1, 2], 1.5), RangeError);
    assert.throws(() => encodeChunk({ length: maxChunkCount + 1 }, { length: maxChunkCount + 1 }), RangeError);
  });
});

describe("a damaged chunk is a CorruptChunkError, never a wrong answer or another exception", () => {
  const samples: Uint8Array[] = [
    encodeChunk(Array.from({ length: 300 }, (_, i) => year2019 + i * quarterHour), Array.from({ length: 300 }, (_, i) => (i % 50 === 0 ? NaN : 55 + ((i * 7919) % 3000) / 100))),
    encodeChunk(Array.from({ length: 200 }, (_, i) => i * i - 20_000), Array.from({ length: 200 }, (_, i) => Math.sin(i))),
    encodeChunk([-maxSafe, 0, maxSafe], [NaN, 1e308, 5e-324]),
    encodeChunk(Array.from({ length: 150 }, (_, i) => i * 1000), Array.from({ length: 150 }, (_, i) => (i % 3 ? NaN : i))),
    encodeChunk([7], [NaN]),
    encodeChunk([], []),
  ];
  const chunk = fc.oneof(fc.constantFrom(...samples), readings(200).map((r) => encodeChunk(r.times, r.values)));

  function assertCorrupt(bytes: Uint8Array, what: string): void {
    assert.throws(() => decodeChunk(bytes), CorruptChunkError, what);
  }

  it("cut short at every length", () => {
    for (const bytes of samples) for (let length = 0; length < bytes.length; length++) assertCorrupt(bytes.subarray(0, length), `${length} of ${bytes.length} bytes`);
  });

  it("with bytes flipped anywhere", () => {
    fc.assert(
      fc.property(chunk, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (bytes, flips) => {
        const damaged = bytes.slice();
        for (const [at, mask] of flips) damaged[at % damaged.length] ^= mask;
        fc.pre(damaged.some((byte, i) => byte !== bytes[i]));
        assertCorrupt(damaged, "flipped");
      }),
      { numRuns: 2000 },
    );
  });

  it("with bytes added after it", () => {
    fc.assert(fc.property(chunk, fc.uint8Array({ minLength: 1, maxLength: 20 }), (bytes, extra) => assertCorrupt(Uint8Array.from([...bytes, ...extra]), "longer")), { numRuns: 300 });
  });

  it("for random garbage, and chunkCount on it answers a count in range or throws CorruptChunkError", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (garbage) => {
        assertCorrupt(garbage, "garbage");
        try {
          const count = chunkCount(garbage);
          assert.ok(Number.isSafeInteger(count) && count >= 0 && count <= maxChunkCount);
        } catch (error) {
          assert.ok(error instanceof CorruptChunkError, String(error));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("even for damage that happens to pass the checksum: every length is checked, so it is refused or reads as well-formed readings", () => {
    const withChecksum = (bytes: Uint8Array) => {
      const sealed = bytes.slice();
      new DataView(sealed.buffer).setUint32(sealed.length - 4, crc32(sealed, 0, sealed.length - 4), true);
      return sealed;
    };
    fc.assert(
      fc.property(chunk, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), fc.nat(), (bytes, flips, cut) => {
        const damaged = bytes.slice(0, Math.max(5, bytes.length - (cut % 8)));
        for (const [at, mask] of flips) damaged[at % (damaged.length - 4)] ^= mask;
        try {
          const { times, values } = decodeChunk(withChecksum(damaged));
          assert.equal(values.length, times.length);
          for (let i = 0; i < times.length; i++) assert.ok(Number.isSafeInteger(times[i]) && (i === 0 || times[i] > times[i - 1]));
        } catch (error) {
          assert.ok(error instanceof CorruptChunkError, String(error));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("says what is wrong", () => {
    assert.throws(() => decodeChunk(samples[0].subarray(0, 20)), /do not match their checksum/);
    assert.throws(() => decodeChunk(new Uint8Array(3)), /too few for a chunk/);
  });
});

describe("the checksum", () => {
  it("is CRC-32 as zlib computes it, by zlib's own and by the tables a Node without it uses", { skip: typeof (zlib as { crc32?: unknown }).crc32 !== "function" && "this Node has no zlib.crc32 to compare with" }, () => {
    const zlibCrc32 = (zlib as unknown as { crc32(data: Uint8Array): number }).crc32;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(8), fc.nat(8), (bytes, skip, cut) => {
        const start = Math.min(skip, bytes.length);
        const end = Math.max(start, bytes.length - cut);
        const expected = zlibCrc32(bytes.subarray(start, end));
        assert.equal(crc32(bytes, start, end), expected);
        assert.equal(crc32ByTables(bytes, start, end), expected);
      }),
    );
  });

  it("is CRC-32's check value for the digits 1 to 9, by either way", () => {
    const digits = new TextEncoder().encode("123456789");
    assert.equal(crc32(digits, 0, digits.length), 0xcbf43926);
    assert.equal(crc32ByTables(digits, 0, digits.length), 0xcbf43926);
  });
});

function columns(chunk: Readings): [number[], number[]] {
  return [chunk.times, chunk.values];
}

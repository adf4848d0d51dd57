import assert from "node:assert/strict";
import fc from "fast-check";
import { describe, it } from "node:test";
import { fileColumns } from "../src/ingest/csv-file-columns.js";
import { csvReadings } from "../src/ingest/csv-readings.js";
import { fromColumns } from "../src/ingest/reading-columns.js";
import type { MeterReading } from "../src/readings/reading.js";

/** What a reader made of a file: its readings, or the message of the error that stopped it. */
type Outcome = { readings: MeterReading[] } | { error: string };

async function outcomeOf(read: () => AsyncIterable<MeterReading[]>): Promise<Outcome> {
  const readings: MeterReading[] = [];
  try {
    for await (const batch of read()) readings.push(...batch);
    return { readings };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

async function* inPieces(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let from = 0;
  for (const cut of [...new Set(cuts)].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b)) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
  yield bytes.subarray(from);
}

/** The file as fileColumns reads it, handed over in pieces cut at the given places. */
async function* columnReadings(bytes: Buffer, cuts: number[]): AsyncGenerator<MeterReading[]> {
  const { batches } = await fileColumns(inPieces(bytes, cuts), {}, true);
  for await (const columns of batches) yield fromColumns(columns);
}

const meterText = fc.oneof(
  fc.constantFrom("meter-0001", "meter-0002", "m", "a.b:c_d-e", "flat 3", "", " meter-0001", "x".repeat(129), "\"meter-0001\"", "mèter"),
  fc.stringMatching(/^[A-Za-z0-9._:-]{1,12}$/),
);
const timeText = fc.oneof(
  fc
    .record({
      time: fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }),
      separator: fc.constantFrom(" ", "T", "t"),
      suffix: fc.constantFrom("", "", "Z", "z", ".5", "+01:00"),
    })
    .map(({ time, separator, suffix }) => {
      const iso = new Date(Math.floor(time / 1000) * 1000).toISOString();
      return `${iso.slice(0, 10)}${separator}${iso.slice(11, 19)}${suffix}`;
    }),
  fc.constantFrom("2019-02-29 00:00:00", "2019-01-01 24:00:00", "2019-01-01 00:60:00", "2019-1-01 00:00:00", "1546300800", " 2019-01-01 00:15:00", "2019-01-01"),
);
const valueText = fc.oneof(
  fc.double({ noNaN: true }).map(String),
  fc.integer({ min: -1e6, max: 1e6 }).chain((integer) => fc.integer({ min: 0, max: 17 }).map((places) => (integer / 10 ** (places % 5)).toFixed(places))),
  fc.stringMatching(/^-?[0-9]{0,18}\.?[0-9]{0,18}$/),
  fc.constantFrom("", "NaN", "nan", "NAN", "-0", "1e5", "+1", ".5", "5.", "-", "1,5", "\"1,5\"", "55.09 ", "0x10", "1.2.3"),
);
const row = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(meterText, timeText, valueText).map((fields) => fields.join(",")) },
  { weight: 1, arbitrary: fc.constantFrom("", "   ", "a,b", "a,b,c,d", "\"meter-0001\",\"2019-01-01 00:00:00\",\"1\"", "\"meter\n-0001\",2019-01-01 00:00:00,1", "\"open") },
);

describe("reading a long CSV from its bytes", () => {
  it("reads every file as the full reader does: the same readings, lines and errors, wherever the file's pieces end", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 40 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat({ max: 2000 }), { maxLength: 6 }),
        async (rows, newline, byteOrderMark, finalNewline, cuts) => {
          const text = `${byteOrderMark ? "\uFEFF" : ""}meter,time,value${newline}${rows.join(newline)}${finalNewline ? newline : ""}`;
          const bytes = Buffer.from(text);
          const expected = await outcomeOf(() => csvReadings([bytes]));
          assert.deepEqual(await outcomeOf(() => columnReadings(bytes, cuts)), expected);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("reads a meter-major and a time-major fleet in batches whose meters are named once each", async () => {
    const meters = ["meter-0001", "meter-0002", "meter-0003"];
    const times = Array.from({ length: 3000 }, (_, n) => Date.UTC(2019, 0, 1) + n * 900_000);
    const rowOf = (meter: string, time: number, n: number) => `${meter},${new Date(time).toISOString().slice(0, 19).replace("T", " ")},${n % 7 === 0 ? "" : (n / 100).toFixed(2)}`;
    for (const order of ["meter-major", "time-major"]) {
      const rows =
        order === "meter-major" ? meters.flatMap((meter) => times.map((time) => [meter, time] as const)) : times.flatMap((time) => meters.map((meter) => [meter, time] as const));
      const bytes = Buffer.from(`meter,time,value\n${rows.map(([meter, time], n) => rowOf(meter, time, n)).join("\n")}\n`);
      const { batches } = await fileColumns(inPieces(bytes, [100_000]), {}, false);
      const read: MeterReading[] = [];
      for await (const columns of batches) {
        assert.equal(new Set(columns.meterNames).size, columns.meterNames.length);
        read.push(...fromColumns(columns));
      }
      assert.deepEqual(read, rows.map(([meter, time], n) => ({ line: n + 2, meter, time, value: n % 7 === 0 ? null : Number((n / 100).toFixed(2)) })));
    }
  });
});

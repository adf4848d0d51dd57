import assert from "node:assert/strict";
import fc from "fast-check";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { CsvFormatError } from "../src/ingest/csv-format-error.js";
import { maxLineLength } from "../src/ingest/csv-lines.js";
import { csvReadings } from "../src/ingest/csv-readings.js";
import type { MeterReading, Reading } from "../src/readings/reading.js";
import { DuplicateTimeError } from "../src/store/duplicate-time-error.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { storedReadings } from "./support/stored-readings.js";
import { temporaryFolder } from "./support/test-server.js";

// 6,000 + 2,000 + 2,000 generated files: at least the 10,000 cases the import must survive.
const arbitraryRuns = 6000;
const validRuns = 2000;
const oneBadRowRuns = 2000;

const baseline: MeterReading[] = [
  { line: 2, meter: "meterusage", time: Date.UTC(1990, 0, 1), value: 1 },
  { line: 3, meter: "meterusage", time: Date.UTC(1990, 0, 1, 0, 15), value: null },
];

/** A time protobuf can carry, in one of the spellings the import accepts. */
const timeText = fc
  .record({
    time: fc.integer({ min: Date.UTC(1, 0, 1) + 86_400_000, max: Date.UTC(9999, 11, 30) }),
    style: fc.constantFrom("naive", "T", "Z", "offset", "millis"),
  })
  .map(({ time, style }) => {
    const seconds = Math.floor(time / 1000) * 1000;
    const iso = new Date(seconds).toISOString();
    const text =
      style === "naive" ? iso.slice(0, 19).replace("T", " ")
      : style === "T" ? iso.slice(0, 19)
      : style === "Z" ? iso.replace(".000Z", "Z")
      : style === "millis" ? iso
      : `${new Date(seconds + 3_600_000).toISOString().slice(0, 19)}+01:00`;
    return { time: seconds, text };
  });

/** Every generated file goes to the meter the baseline is in, whatever its header calls its column. */
const oneMeter = { meter: "meterusage" };

/** A value the import accepts, with the reading it must become. */
const valueText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => ({ value: Object.is(value, -0) ? 0 : value, text: String(value) })),
  fc.constantFrom({ value: null, text: "NaN" }, { value: null, text: "" }, { value: null, text: "nan" }, { value: 0, text: "-0" }),
  fc.integer().map((value) => ({ value, text: `${value}.0` })),
);

interface GeneratedFile {
  text: string;
  readings: Reading[];
}

/** A valid file: unique times in any order, dressed in every form the import must accept. */
const validFile = fc
  .record({
    rows: fc.uniqueArray(fc.tuple(timeText, valueText), { selector: ([t]) => t.time, maxLength: 60 }),
    bom: fc.boolean(),
    newline: fc.constantFrom("\n", "\r\n"),
    quoted: fc.boolean(),
    blankLines: fc.boolean(),
    header: fc.constantFrom("time,meterusage", "time,kwh", "TIME,value", '"time","value"'),
  })
  .filter(({ rows }) => rows.every(([t]) => t.time >= Date.UTC(1991, 0, 1) || t.time < Date.UTC(1990, 0, 1)))
  .map(({ rows, bom, newline, quoted, blankLines, header }): GeneratedFile => {
    const lines = rows.map(([t, v]) => (quoted ? `"${t.text}","${v.text}"` : `${t.text},${v.text}`));
    const body = blankLines ? lines.flatMap((line) => [line, ""]) : lines;
    return {
      text: `${bom ? "\ufeff" : ""}${[header, ...body].join(newline)}${newline}`,
      readings: rows.map(([t, v]) => ({ time: t.time, value: v.value })),
    };
  });

const badRow = fc.oneof(
  fc.constantFrom("2019-01-01 00:00:00,Infinity", "2019-01-01 00:00:00,1e999", "2019-13-01 00:00:00,1", "0000-01-01 00:00:00,1"),
  fc.constantFrom("2019-01-01 00:00:00", "2019-01-01 00:00:00,1,2", "just words", "2019-02-29 00:00:00,1", ",", "2019-01-01 00:00:00,0x10"),
  fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes("\n") && !s.includes("\r") && s.trim() !== "" && s.split(",").length !== 2),
  fc.constant("9".repeat(maxLineLength + 10)),
);

describe("importing generated CSV files", () => {
  let folder: string;
  let store: SqliteStore;

  before(async () => {
    folder = temporaryFolder();
    store = new SqliteStore(join(folder, "fuzz.db"));
    await store.importReadings([baseline][Symbol.iterator]() as unknown as AsyncIterable<MeterReading[]>);
  });
  after(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function restoreBaseline(): Promise<void> {
    await store.importReadings((async function* () { yield baseline; })(), { replace: true });
  }

  it(`never crashes or hangs on ${arbitraryRuns} arbitrary inputs: all is stored or nothing, and a refusal names its line`, async () => {
    const before = await storedReadings(store);
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
      fc.string({ maxLength: 300, unit: "binary" }).map((text) => Buffer.from(text, "utf8")),
      fc.string({ maxLength: 300 }).map((text) => Buffer.from(`time,v\n${text}`, "latin1")),
      validFile.map((file) => Buffer.from(file.text, "utf16le")),
      fc.tuple(validFile, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 4 })).map(([file, at, bytes]) => {
        const buffer = Buffer.from(file.text);
        const cut = buffer.length === 0 ? 0 : at % buffer.length;
        return Buffer.concat([buffer.subarray(0, cut), Buffer.from(bytes), buffer.subarray(cut)]);
      }),
    );
    await fc.assert(
      fc.asyncProperty(input, async (bytes) => {
        try {
          const { stored } = await store.importReadings(csvReadings([bytes], oneMeter));
          assert.equal((await storedReadings(store)).length, before.length + stored);
          await restoreBaseline();
        } catch (error) {
          assert.ok(error instanceof CsvFormatError || error instanceof DuplicateTimeError, `unexpected ${error}`);
          assert.match(error.message, /^line \d+: /);
          assert.deepEqual(await storedReadings(store), before);
        }
      }),
      { numRuns: arbitraryRuns },
    );
  });

  it(`stores exactly what ${validRuns} valid files hold, whatever their dress`, async () => {
    await fc.assert(
      fc.asyncProperty(validFile, async (file) => {
        const { stored } = await store.importReadings(csvReadings([file.text], oneMeter));
        assert.equal(stored, file.readings.length);
        const imported = (await storedReadings(store)).filter((r) => r.time >= Date.UTC(1991, 0, 1) || r.time < Date.UTC(1990, 0, 1));
        assert.deepEqual(imported, [...file.readings].sort((a, b) => a.time - b.time));
        await restoreBaseline();
      }),
      { numRuns: validRuns },
    );
  });

  it(`refuses ${oneBadRowRuns} files with one bad row or a repeated time, naming that line and storing nothing`, async () => {
    const before = await storedReadings(store);
    const broken = fc.tuple(validFile.filter((file) => file.readings.length > 0), fc.nat(), fc.oneof(badRow, fc.constant("repeat")));
    await fc.assert(
      fc.asyncProperty(broken, async ([file, at, bad]) => {
        const newline = file.text.includes("\r\n") ? "\r\n" : "\n";
        const lines = file.text.split(newline);
        const dataLines = lines.map((line, index) => ({ line, index })).filter(({ line, index }) => index > 0 && line !== "");
        const position = dataLines[at % dataLines.length].index + 1;
        const row = bad === "repeat" ? dataLines[0].line : bad;
        lines.splice(position, 0, row);
        await assert.rejects(store.importReadings(csvReadings([lines.join(newline)], oneMeter)), (error: unknown) => {
          assert.ok(error instanceof CsvFormatError || error instanceof DuplicateTimeError, `unexpected ${error}`);
          if (bad === "repeat" && position <= dataLines[0].index) {
            assert.equal(error.line, dataLines[0].index + 2, "the first of the pair is the repeat, so the original line is named");
          } else {
            assert.equal(error.line, position + 1);
          }
          return true;
        });
        assert.deepEqual(await storedReadings(store), before);
      }),
      { numRuns: oneBadRowRuns },
    );
  });
});

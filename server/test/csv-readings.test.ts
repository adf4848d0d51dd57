import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { describe, it } from "node:test";
import { CsvFormatError } from "../src/ingest/csv-format-error.js";
import { csvReadings, type CsvReadingsOptions } from "../src/ingest/csv-readings.js";
import { bundledCsv } from "../src/package-paths.js";
import type { MeterReading } from "../src/readings/reading.js";
import { referenceData } from "./support/reference-data.js";

async function readAll(input: AsyncIterable<Buffer | string>, options: CsvReadingsOptions = {}): Promise<MeterReading[]> {
  const readings: MeterReading[] = [];
  for await (const batch of csvReadings(input, options)) readings.push(...batch);
  return readings;
}

function csv(text: string): AsyncIterable<string> {
  return [text][Symbol.iterator]() as unknown as AsyncIterable<string>;
}

async function failure(text: string, options: CsvReadingsOptions = {}): Promise<CsvFormatError> {
  try {
    await readAll(csv(text), options);
  } catch (error) {
    assert.ok(error instanceof CsvFormatError, `expected a CsvFormatError, got ${error}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(text)} to be refused`);
}

describe("reading a CSV", () => {
  it("reads every row of the bundled file, keeping the missing reading as null", async () => {
    const readings = await readAll(createReadStream(bundledCsv));
    assert.equal(readings.length, referenceData.count);
    assert.deepEqual(readings[0], { line: 2, meter: "meterusage", time: Date.parse(referenceData.first.time), value: 55.09 });
    const missing = readings.filter((reading) => reading.value === null);
    assert.deepEqual(missing.map((reading) => reading.line), [1548]);
    assert.equal(missing[0].time, Date.parse(referenceData.missingTime));
  });

  it("accepts CRLF endings, a byte order mark, quoted fields, blank lines and empty values", async () => {
    const readings = await readAll(csv('\ufefftime,kwh\r\n"2019-01-01 00:15:00","1.5"\r\n\r\n2019-01-01 00:30:00,\r\n'));
    assert.deepEqual(readings, [
      { line: 2, meter: "kwh", time: Date.UTC(2019, 0, 1, 0, 15), value: 1.5 },
      { line: 4, meter: "kwh", time: Date.UTC(2019, 0, 1, 0, 30), value: null },
    ]);
  });

  it("splits a line that arrives in two chunks", async () => {
    const chunks = [Buffer.from("time,v\n2019-01-01 00:1"), Buffer.from("5:00,2\n")];
    const readings = await readAll(chunks as unknown as AsyncIterable<Buffer>);
    assert.deepEqual(readings, [{ line: 2, meter: "v", time: Date.UTC(2019, 0, 1, 0, 15), value: 2 }]);
  });

  it("reads a header-only file as no readings", async () => {
    assert.deepEqual(await readAll(csv("time,meterusage\n")), []);
  });

  it("names the line and the problem of a bad row", async () => {
    const header = "time,meterusage\n2019-01-01 00:15:00,1\n";
    const cases: [string, RegExp][] = [
      ["2019-01-01 00:30:00,abc", /^line 3: the value "abc" of meter meterusage is not a number/],
      ["2019-02-30 00:30:00,1", /^line 3: cannot read the time "2019-02-30 00:30:00"/],
      ["2019-01-01 00:30:00", /^line 3: expected 2 columns \(time,value\), found 1/],
      ["2019-01-01 00:30:00,1,2", /^line 3: expected 2 columns \(time,value\), found 3/],
      ["2019-01-01 00:30:00,1e999", /^line 3: the value "1e999" of meter meterusage is too large to store/],
      ["2019-01-01 00:30:00,Infinity", /^line 3: the value "Infinity" of meter meterusage is not a number/],
    ];
    for (const [row, message] of cases) {
      const error = await failure(`${header}${row}\n`);
      assert.equal(error.line, 3);
      assert.match(error.message, message);
    }
  });

  it("refuses an empty file and a file without the time header", async () => {
    assert.match((await failure("")).message, /^line 1: the file is empty/);
    assert.match((await failure("when,value\n")).message, /^line 1: expected the header `time,<meter>\[,<meter>...\]` \(a column a meter\) or `meter,time,value`/);
  });

  it("reads a wide file as one meter a column, named by its header", async () => {
    const readings = await readAll(csv("time,main,flat-1\n2019-01-01 00:15:00,10,1.5\n2019-01-01 00:30:00,11,NaN\n"));
    assert.deepEqual(readings, [
      { line: 2, meter: "main", time: Date.UTC(2019, 0, 1, 0, 15), value: 10 },
      { line: 2, meter: "flat-1", time: Date.UTC(2019, 0, 1, 0, 15), value: 1.5 },
      { line: 3, meter: "main", time: Date.UTC(2019, 0, 1, 0, 30), value: 11 },
      { line: 3, meter: "flat-1", time: Date.UTC(2019, 0, 1, 0, 30), value: null },
    ]);
  });

  it("reads a long file, its columns in any order, a reading a line of any meter", async () => {
    const readings = await readAll(csv("value,Meter,time\n1,b,2019-01-01T00:15:00Z\n,a,2019-01-01 00:15:00\n2.5,b,2019-01-01 00:30:00\n"));
    assert.deepEqual(readings, [
      { line: 2, meter: "b", time: Date.UTC(2019, 0, 1, 0, 15), value: 1 },
      { line: 3, meter: "a", time: Date.UTC(2019, 0, 1, 0, 15), value: null },
      { line: 4, meter: "b", time: Date.UTC(2019, 0, 1, 0, 30), value: 2.5 },
    ]);
  });

  it("names a one-column file's meter as told, and a `value` column as the default meter", async () => {
    const row = "2019-01-01 00:15:00,1\n";
    assert.equal((await readAll(csv(`time,kwh\n${row}`), { meter: "flat-9" }))[0].meter, "flat-9");
    assert.equal((await readAll(csv(`time,value\n${row}`), { valueColumnMeter: "main" }))[0].meter, "main");
    assert.equal((await readAll(csv(`time,value\n${row}`)))[0].meter, "meterusage");
  });

  it("refuses headers that name no meter, an extra column or a meter twice", async () => {
    const cases: [string, RegExp][] = [
      ["time,flat 1\n", /^line 1: the column "flat 1" is not a meter name/],
      ["time,a,a\n", /^line 1: the meter a has two columns/],
      ["meter,time,value,note\n", /^line 1: a file with a meter column has just the columns meter, time and value; remove "note"/],
      ["meter,time\n", /^line 1: a file with a meter column needs exactly the columns meter, time and value/],
      ["time\n", /^line 1: expected the header/],
    ];
    for (const [header, message] of cases) assert.match((await failure(header)).message, message);
    assert.match((await failure("time,a,b\n", { meter: "x" })).message, /^line 1: a meter name was given for the file, but it has 2 value columns/);
    assert.match((await failure("meter,time,value\n", { meter: "x" })).message, /^line 1: a meter name was given for the file, but its meter column names/);
  });

  it("names the line and the meter of a bad row in wide and long files", async () => {
    const wide = await failure("time,a,b\n2019-01-01 00:15:00,1,2\n2019-01-01 00:30:00,1,lots\n");
    assert.match(wide.message, /^line 3: the value "lots" of meter b is not a number/);
    assert.match((await failure("time,a,b\n2019-01-01 00:15:00,1\n")).message, /^line 2: expected 3 columns \(time and a value for each of 2 meters\), found 2/);
    const long = await failure("meter,time,value\nflat-1,2019-01-01 00:15:00,1\nflat-2,2019-13-01 00:15:00,1\n");
    assert.match(long.message, /^line 3: cannot read the time "2019-13-01 00:15:00" of meter flat-2/);
    assert.match((await failure("meter,time,value\nflat/1,2019-01-01 00:15:00,1\n")).message, /^line 2: the meter "flat\/1" is not a meter name/);
  });

  it("refuses a line too long to be a reading", async () => {
    assert.match((await failure(`time,v\n${"1".repeat(10_000)}`)).message, /^line 2: line is longer than/);
  });
});

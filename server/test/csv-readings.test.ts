import assert from "node:assert/strict";
import { createReadStream } from "node:fs";
import { describe, it } from "node:test";
import { CsvFormatError } from "../src/ingest/csv-format-error.js";
import { csvReadings } from "../src/ingest/csv-readings.js";
import { bundledCsv } from "../src/package-paths.js";
import type { NumberedReading } from "../src/readings/reading.js";
import { referenceData } from "./support/reference-data.js";

async function readAll(input: AsyncIterable<Buffer | string>): Promise<NumberedReading[]> {
  const readings: NumberedReading[] = [];
  for await (const batch of csvReadings(input)) readings.push(...batch);
  return readings;
}

function csv(text: string): AsyncIterable<string> {
  return [text][Symbol.iterator]() as unknown as AsyncIterable<string>;
}

async function failure(text: string): Promise<CsvFormatError> {
  try {
    await readAll(csv(text));
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
    assert.deepEqual(readings[0], { line: 2, time: Date.parse(referenceData.first.time), value: 55.09 });
    const missing = readings.filter((reading) => reading.value === null);
    assert.deepEqual(missing.map((reading) => reading.line), [1548]);
    assert.equal(missing[0].time, Date.parse(referenceData.missingTime));
  });

  it("accepts CRLF endings, a byte order mark, quoted fields, blank lines and empty values", async () => {
    const readings = await readAll(csv('\ufefftime,kwh\r\n"2019-01-01 00:15:00","1.5"\r\n\r\n2019-01-01 00:30:00,\r\n'));
    assert.deepEqual(readings, [
      { line: 2, time: Date.UTC(2019, 0, 1, 0, 15), value: 1.5 },
      { line: 4, time: Date.UTC(2019, 0, 1, 0, 30), value: null },
    ]);
  });

  it("splits a line that arrives in two chunks", async () => {
    const chunks = [Buffer.from("time,v\n2019-01-01 00:1"), Buffer.from("5:00,2\n")];
    const readings = await readAll(chunks as unknown as AsyncIterable<Buffer>);
    assert.deepEqual(readings, [{ line: 2, time: Date.UTC(2019, 0, 1, 0, 15), value: 2 }]);
  });

  it("reads a header-only file as no readings", async () => {
    assert.deepEqual(await readAll(csv("time,meterusage\n")), []);
  });

  it("names the line and the problem of a bad row", async () => {
    const header = "time,meterusage\n2019-01-01 00:15:00,1\n";
    const cases: [string, RegExp][] = [
      ["2019-01-01 00:30:00,abc", /^line 3: the value "abc" is not a number/],
      ["2019-02-30 00:30:00,1", /^line 3: cannot read the time "2019-02-30 00:30:00"/],
      ["2019-01-01 00:30:00", /^line 3: expected 2 columns \(time,value\), found 1/],
      ["2019-01-01 00:30:00,1,2", /^line 3: expected 2 columns \(time,value\), found 3/],
      ["2019-01-01 00:30:00,1e999", /^line 3: the value "1e999" is too large to store/],
      ["2019-01-01 00:30:00,Infinity", /^line 3: the value "Infinity" is not a number/],
    ];
    for (const [row, message] of cases) {
      const error = await failure(`${header}${row}\n`);
      assert.equal(error.line, 3);
      assert.match(error.message, message);
    }
  });

  it("refuses an empty file and a file without the time header", async () => {
    assert.match((await failure("")).message, /^line 1: the file is empty/);
    assert.match((await failure("when,value\n")).message, /^line 1: expected the header `time,<value column>`/);
  });

  it("refuses a line too long to be a reading", async () => {
    assert.match((await failure(`time,v\n${"1".repeat(10_000)}`)).message, /^line 2: line is longer than/);
  });
});

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import type { InputFindings } from "../src/ingest/input-findings.js";
import { octopusBatches, octopusReadings } from "../src/ingest/octopus-json/octopus-readings.js";
import type { MeterReading } from "../src/readings/reading.js";

const findings = (): InputFindings => ({ format: "octopus-json", sources: [], notes: [] });
const halfHour = 1_800_000;
const base = Date.UTC(2025, 2, 29);

/** `time` as the API writes it with `offset` minutes: `2025-03-30T02:00:00+01:00`, or `Z`. */
function apiTime(time: number, offset: number): string {
  const local = new Date(time + offset * 60_000).toISOString().slice(0, 19);
  if (offset === 0) return `${local}Z`;
  const hours = String(Math.floor(Math.abs(offset) / 60)).padStart(2, "0");
  return `${local}${offset < 0 ? "-" : "+"}${hours}:${String(Math.abs(offset) % 60).padStart(2, "0")}`;
}

const resultStyles = ["api", "pretty", "crlf", "reordered", "extra key", "escaped key", "escaped end", "no end", "fraction"] as const;
type ResultStyle = (typeof resultStyles)[number];

interface Result {
  slot: number;
  offset: number;
  consumption: string;
  style: ResultStyle;
}

/** A result written one of the ways a file may hold it; only the API's own way is the scanner's fast path. */
function resultText({ slot, offset, consumption, style }: Result): string {
  const time = base + slot * halfHour;
  const start = style === "fraction" ? apiTime(time, offset).replace(/(:\d\d)([Z+-])/, "$1.000$2") : apiTime(time, offset);
  const end = apiTime(time + halfHour, offset);
  switch (style) {
    case "api":
    case "fraction":
      return `{"consumption":${consumption},"interval_start":"${start}","interval_end":"${end}"}`;
    case "pretty":
      return `{\n      "consumption": ${consumption},\n      "interval_start": "${start}",\n      "interval_end": "${end}"\n    }`;
    case "crlf":
      return `{\r\n "consumption" :\t${consumption} ,\r\n "interval_start" : "${start}" ,\r\n "interval_end" : "${end}"\r\n}`;
    case "reordered":
      return `{"interval_start":"${start}","interval_end":"${end}","consumption":${consumption}}`;
    case "extra key":
      return `{"consumption":${consumption},"interval_start":"${start}","interval_end":"${end}","source":{"kind":["smart", "é"]}}`;
    case "escaped key":
      return `{"consumptio\\u006e":${consumption},"interval_start":"${start}","interval_end":"${end}"}`;
    case "escaped end":
      return `{"consumption":${consumption},"interval_start":"${start}","interval_end":"\\u0032${end.slice(1)}"}`;
    case "no end":
      return `{"consumption":${consumption},"interval_start":"${start}"}`;
  }
}

const pageStyles = ["compact", "results first", "pretty", "unicode next"] as const;

function pageText(results: Result[], style: (typeof pageStyles)[number]): string {
  const list = results.map(resultText);
  const next = style === "unicode next" ? `"https://api.octopus.energy/v1/consumption/?page=2&note=\\"é€\\""` : "null";
  switch (style) {
    case "compact":
    case "unicode next":
      return `{"count":${results.length},"next":${next},"previous":null,"results":[${list.join(",")}]}`;
    case "results first":
      return `{"results":[${list.join(", ")}], "count":${results.length}, "next":null}`;
    case "pretty":
      return `{\n  "count": ${results.length},\n  "next": null,\n  "results": [${list.length === 0 ? "" : `\n    ${list.join(",\n    ")}\n  `}]\n}`;
  }
}

const fileShapes = ["page", "array", "lines", "one after another"] as const;

function fileText(pages: string[], shape: (typeof fileShapes)[number]): string {
  switch (shape) {
    case "page":
      return pages[0];
    case "array":
      return `[${pages.join(",\n")}]`;
    case "lines":
      return pages.map((page) => page.replace(/\r?\n/g, " ")).join("\n") + "\n";
    case "one after another":
      return pages.join("\n\n");
  }
}

/**
 * What the pages hold by brute force: every page through JSON.parse, every result a reading
 * on the line of its "interval_start" key (each result has one, and nothing else names it),
 * sorted stably by time.
 */
function referenceReadings(pages: string[], text: string): MeterReading[] {
  const lines: number[] = [];
  for (let at = text.indexOf('"interval_start"'); at !== -1; at = text.indexOf('"interval_start"', at + 1)) lines.push(text.slice(0, at).split("\n").length);
  const results = pages.flatMap((page) => (JSON.parse(page) as { results: { interval_start: string; consumption: number | null }[] }).results);
  const readings = results.map(({ interval_start, consumption }, index) => ({ line: lines[index], meter: "m", time: Date.parse(interval_start), value: consumption }));
  return readings.sort((a, b) => a.time - b.time);
}

/** `text` cut at the given fractions of its length, as strings, or as the bytes of its UTF-8 (which may cut a character). */
function pieces(text: string, cuts: number[], asBytes: boolean): (string | Buffer)[] {
  const whole = asBytes ? Buffer.from(text) : text;
  const at = [...new Set(cuts.map((cut) => Math.floor(cut * whole.length)))].sort((a, b) => a - b);
  return [0, ...at].map((from, index) => whole.slice(from, at[index] ?? whole.length));
}

async function streamed(parts: (string | Buffer)[]): Promise<MeterReading[]> {
  async function* input() {
    yield* parts;
  }
  const readings: MeterReading[] = [];
  for await (const batch of octopusBatches(input(), { meter: "m" }, findings())) readings.push(...batch);
  return readings;
}

const result = fc.record({
  slot: fc.integer({ min: 0, max: 400 }),
  offset: fc.constantFrom(0, 60, -300, 330),
  consumption: fc.oneof(
    fc.constantFrom("null", "0", "-0", "0.063", "6.3E-2", "1e-7", "-12.5", "1E+3", "0.30000000000000004", "123456789012345678901"),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  ),
  style: fc.oneof({ weight: 6, arbitrary: fc.constant("api" as ResultStyle) }, { weight: 4, arbitrary: fc.constantFrom(...resultStyles) }),
});

describe("Octopus pages, read as they stream", () => {
  it("give the readings JSON.parse finds, on the lines of their interval_start, in time order, however the text is cut", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ results: fc.array(result, { maxLength: 30 }), style: fc.constantFrom(...pageStyles) }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...fileShapes),
        fc.constantFrom("as drawn", "newest first", "oldest first"),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        fc.boolean(),
        async (pages, shape, order, cuts, asBytes) => {
          const kept = (shape === "page" ? pages.slice(0, 1) : pages).map((page) => ({ ...page, results: page.results.map((result) => ({ ...result })) }));
          if (order !== "as drawn") {
            // As the API pages them (newest first by default, oldest first with order_by=period): the readers' quick orders.
            const slots = kept.flatMap(({ results }) => results.map(({ slot }) => slot)).sort((a, b) => (order === "oldest first" ? a - b : b - a));
            kept.forEach(({ results }) => results.forEach((result) => (result.slot = slots.shift()!)));
          }
          const pageTexts = kept.map(({ results, style }) => pageText(results, style));
          const text = fileText(pageTexts, shape);
          const expected = referenceReadings(pageTexts, text);
          assert.deepEqual(await streamed(pieces(text, cuts, asBytes)), expected);
          assert.deepEqual(octopusReadings(text, { meter: "m" }, findings()), expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuse a page or an array of pages cut off anywhere, naming a line of the file", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(result, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom("page" as const, "array" as const),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (pages, shape, cut) => {
          const text = fileText(pages.map((results) => pageText(results, "pretty")), shape);
          const prefix = text.slice(0, Math.floor(cut * (text.length - 1)) + 1);
          const error = await streamed([prefix]).then(
            () => assert.fail(`a cut-off file was read: ${JSON.stringify(prefix)}`),
            (refusal: Error) => refusal,
          );
          assert.equal(error.name, "FileFormatError", error.message);
          const line = Number(/^line (\d+): /.exec(error.message)?.[1]);
          assert.ok(line >= 1 && line <= prefix.split("\n").length, error.message);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("name the page and the line of what is wrong", () => {
    const refusal = (text: string) => {
      try {
        octopusReadings(text, { meter: "m" }, findings());
      } catch (error) {
        return (error as Error).message;
      }
      assert.fail(`read: ${text}`);
    };
    const good = `{"consumption":1,"interval_start":"2025-03-30T00:00:00Z","interval_end":"2025-03-30T00:30:00Z"}`;
    assert.equal(refusal(`[{"results":[${good}]},\n{"count":1}]`), "line 2: page 2 of the array has no `results` list: an Octopus consumption page is {\"count\":…,\"results\":[{\"consumption\":…,\"interval_start\":…},…]}");
    assert.equal(refusal(`{"results":[${good}]}\n{"results":[\n${good},\n5]}`), "line 4: the page on line 2 results[1] is not an object");
    assert.equal(refusal(`{"results":[\n{"consumption":"1","interval_start":"2025-03-30T00:00:00Z"}]}`), 'line 2: the page results[0].consumption "1" is not a number');
    assert.equal(refusal(`{"results":[${good}] "count":1}`), 'line 1: not JSON: expected "," or "}" after a value, found "\\""');
    assert.equal(refusal(`{"results":[${good},]}`), `line 1: not JSON: ${jsonError("]")}`);
    assert.equal(refusal(`{"results":[],"results":[]}`), "line 1: the page has `results` twice");
    assert.equal(refusal(`[{"results":[]},\n7]`), 'line 2: page 2 of the array is not an Octopus consumption page: expected an object {"results":[…]}');
    assert.equal(refusal(`{"results":[\n${good}`), "line 2: not JSON: the file ends inside the results of the page");
  });
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  return "";
}

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { FileFormatError } from "../src/ingest/file-format-error.js";
import { inputReadings } from "../src/ingest/input-readings.js";
import type { MeterReading } from "../src/readings/reading.js";

// Plainly written IntervalReadings are read by a scanner in the XML parser's place, anything else
// by the parser: whichever way a reading is written, and wherever the file's chunks are cut, the
// readings, their lines and the errors are the same.

/** How a reading is written: the scanner takes the first three, the parser the rest. */
const styles = ["plain", "lines", "no timePeriod", "quality", "comment", "attribute", "character reference", "cost", "CDATA"] as const;
type Style = (typeof styles)[number];

interface Written {
  style: Style;
  value: number;
  /** Whitespace after the reading. */
  after: string;
}

const first = 1_767_243_600;

function readingText(p: string, style: Style, start: number, value: string, newline: string): string {
  const e = (name: string, body: string) => `<${p}${name}>${body}</${p}${name}>`;
  const timePeriod = e("timePeriod", e("duration", "900") + e("start", String(start)));
  switch (style) {
    case "plain":
      return e("IntervalReading", timePeriod + e("value", value));
    case "lines":
      return e("IntervalReading", `${newline}  ${e("timePeriod", `${newline}    ${e("duration", "900")}${newline}    ${e("start", String(start))}${newline}  `)}${newline}  ${e("value", value)}${newline}`);
    case "no timePeriod":
      return e("IntervalReading", e("value", value));
    case "quality":
      return e("IntervalReading", e("ReadingQuality", e("quality", "8")) + timePeriod + e("value", value));
    case "comment":
      return e("IntervalReading", `<!-- estimated -->${timePeriod}${e("value", value)}`);
    case "attribute":
      return `<${p}IntervalReading xmlns:x="urn:x">${timePeriod}${e("value", value)}</${p}IntervalReading>`;
    case "character reference":
      return e("IntervalReading", timePeriod + e("value", `&#${value.charCodeAt(0)};${value.slice(1)}`));
    case "cost":
      return e("IntervalReading", e("cost", "12") + timePeriod + e("value", value));
    case "CDATA":
      return e("IntervalReading", timePeriod + e("value", `<![CDATA[${value}]]>`));
  }
}

/** A feed of one meter's quarter-hours, a block of them an IntervalBlock, and the readings it holds with the line each starts on. */
function feedOf(prefix: "espi:" | "", blocks: Written[][], newline: string, bad?: { block: number; reading: number }) {
  const p = prefix;
  const e = (name: string, body: string) => `<${p}${name}>${body}</${p}${name}>`;
  const r = "https://utility.example/espi/1_1/resource/UsagePoint/1";
  const blockOpen = prefix === "" ? `<IntervalBlock xmlns="http://naesb.org/espi">` : `<espi:IntervalBlock>`;
  const root = prefix === "" ? `<feed xmlns="http://www.w3.org/2005/Atom">` : `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">`;
  let text =
    `<?xml version="1.0" encoding="UTF-8"?>${newline}${root}${newline}` +
    `<entry><link rel="self" href="${r}"/><title>Flat 1</title><content><${p}UsagePoint${prefix === "" ? ' xmlns="http://naesb.org/espi"' : ""}/></content></entry>${newline}` +
    `<entry><link rel="self" href="${r}/MeterReading/1"/><link rel="related" href="${r}/ReadingType/1"/><content><${p}MeterReading${prefix === "" ? ' xmlns="http://naesb.org/espi"' : ""}/></content></entry>${newline}`;
  const expected: MeterReading[] = [];
  let line = 5;
  let start = first;
  let badLine = 0;
  blocks.forEach((readings, b) => {
    text += `<entry><link rel="up" href="${r}/MeterReading/1/IntervalBlock"/><content>${blockOpen}${e("interval", e("duration", "86400") + e("start", String(start)))}${newline}`;
    line++;
    readings.forEach(({ style, value, after }, i) => {
      const isBad = bad?.block === b && bad.reading === i;
      const reading = readingText(p, style, start, isBad ? `${value}x` : String(value), newline);
      // The message names the line of the <value> element.
      if (isBad) badLine = line + reading.slice(0, reading.indexOf(`<${p}value>`)).split("\n").length - 1;
      // A comment holding a plain reading between two real ones is no reading.
      if (i % 7 === 3) text += `<!-- ${readingText(p, "plain", start, "999", newline)} -->`;
      text += reading + after;
      expected.push({ line, meter: "flat-1", time: start * 1000, value: Number(`${value}e-3`) });
      line += (readingText(p, style, start, "0", newline) + after).split("\n").length - 1;
      start += 900;
    });
    text += `</${p}IntervalBlock></content></entry>${newline}`;
    line++;
  });
  // The ReadingType last: the readings wait for it.
  text += `<entry><link rel="self" href="${r}/ReadingType/1"/><content>${e("ReadingType", e("intervalLength", "900") + e("powerOfTenMultiplier", "0") + e("uom", "72"))}</content></entry>${newline}</feed>${newline}`;
  return { text, expected, badLine };
}

/** The text cut into chunks at the given places, as a stream delivers it. */
function chunked(text: string, cuts: number[]): string[] {
  const places = [...new Set(cuts.map((cut) => Math.floor(cut * text.length)))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let from = 0;
  for (const place of places) {
    chunks.push(text.slice(from, place));
    from = place;
  }
  chunks.push(text.slice(from));
  return chunks;
}

async function readAll(chunks: string[]): Promise<MeterReading[]> {
  const { batches } = await inputReadings(chunks, { meter: "flat-1" });
  const readings: MeterReading[] = [];
  for await (const batch of batches) readings.push(...batch);
  return readings;
}

const written = fc.record({
  style: fc.constantFrom(...styles),
  value: fc.integer({ min: 0, max: 2_000_000 }),
  after: fc.constantFrom("", "\n", "\r\n", "\n      ", " "),
});
const feeds = {
  prefix: fc.constantFrom<"espi:" | "">("espi:", ""),
  blocks: fc.array(fc.array(written, { minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 4 }),
  newline: fc.constantFrom("\n", "\r\n"),
  cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
};

describe("ESPI IntervalReadings however they are written", () => {
  it("are read alike, each with the line it starts on, wherever the file's chunks are cut", async () => {
    await fc.assert(
      fc.asyncProperty(feeds.prefix, feeds.blocks, feeds.newline, feeds.cuts, async (prefix, blocks, newline, cuts) => {
        const { text, expected } = feedOf(prefix, blocks, newline);
        assert.deepEqual(await readAll(chunked(text, cuts)), expected);
      }),
      { numRuns: 150 },
    );
  });

  it("name the line of a reading that is not a number, however the readings before it were read", async () => {
    await fc.assert(
      fc.asyncProperty(feeds.prefix, feeds.blocks, feeds.newline, feeds.cuts, fc.nat(), async (prefix, blocks, newline, cuts, pick) => {
        const block = pick % blocks.length;
        const bad = { block, reading: pick % blocks[block].length };
        const { text, badLine } = feedOf(prefix, blocks, newline, bad);
        const error = await readAll(chunked(text, cuts)).then(
          () => assert.fail("expected the feed to be refused"),
          (thrown: unknown) => thrown,
        );
        assert.ok(error instanceof FileFormatError);
        assert.match(error.message, new RegExp(`^line ${badLine}: the IntervalReading's <value> "\\d+x" is not a number`));
      }),
      { numRuns: 100 },
    );
  });

  it("still refuses a DTD before anything is read, however the file is cut", async () => {
    const { text } = feedOf("espi:", [[{ style: "plain", value: 1, after: "\n" }]], "\n");
    const withDtd = text.replace("\n<feed", `\n<!DOCTYPE feed [<!ENTITY lol "lol">]>\n<feed`);
    for (const cuts of [[], [0.01], [0.05, 0.06, 0.5]]) {
      await assert.rejects(readAll(chunked(withDtd, cuts)), /^FileFormatError: line 2: the document declares a DTD \(<!DOCTYPE feed/);
    }
  });
});

import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { espiFeed } from "../src/ingest/espi/espi-feed.js";
import { FileFormatError } from "../src/ingest/file-format-error.js";
import { importFile, type FileImportOptions } from "../src/ingest/import-file.js";
import { IngestError } from "../src/ingest/ingest-error.js";
import { inputReadings } from "../src/ingest/input-readings.js";
import type { Reading } from "../src/readings/reading.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { espiFeedText, greenButtonCsvText, hourlyBlocks, octopusPage, type EspiFeedOptions } from "./support/meter-files.js";
import { temporaryFolder } from "./support/test-server.js";

const at = (text: string) => Date.parse(text);
const seconds = (text: string) => Date.parse(text) / 1000;

async function readingsOf(store: SqliteStore, meter: string): Promise<Reading[]> {
  const readings: Reading[] = [];
  for await (const batch of store.readBatches(meter, {}, 1000)) readings.push(...batch);
  return readings;
}

describe("importing the files households and landlords have", () => {
  let folder: string;
  let fileNumber = 0;
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  /** Writes the file under `name` and imports it into a fresh store. */
  async function imported(name: string, text: string, options: FileImportOptions = {}) {
    const path = join(folder, `${++fileNumber}-${name}`);
    writeFileSync(path, text);
    const store = new SqliteStore(join(folder, `${fileNumber}.db`));
    try {
      const result = await importFile(store, path, { fileName: name, ...options });
      return { store, result };
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /** The error an import of the file throws; the store it went to is left empty. */
  async function refused(name: string, text: string, options: FileImportOptions = {}): Promise<Error> {
    const path = join(folder, `${++fileNumber}-${name}`);
    writeFileSync(path, text);
    const store = new SqliteStore(join(folder, `${fileNumber}.db`));
    try {
      await importFile(store, path, { fileName: name, ...options });
    } catch (error) {
      assert.equal(await store.count(), 0, "nothing is stored");
      return error as Error;
    } finally {
      await store.close();
    }
    assert.fail(`expected ${name} to be refused`);
  }

  const newYorkWinter = seconds("2026-01-15T05:00:00Z");
  const oneHouse = (prefix: EspiFeedOptions["prefix"]): EspiFeedOptions => ({
    prefix,
    localTime: { tzOffset: -18000, dstOffset: 3600, dstStartRule: "360E2000", dstEndRule: "B40E2000" },
    usagePoints: [{ title: "12 Elm St", meterReadings: [{ blocks: hourlyBlocks(newYorkWinter, 48, (i) => String([819, 1204, 0, 77][i % 4])) }] }],
  });

  describe("Green Button ESPI XML", () => {
    for (const prefix of ["espi:", ""] as const) {
      it(`reads a feed with ${prefix === "" ? "the default namespace" : "the espi: prefix"}: a meter per MeterReading, Wh stored exactly as kWh`, async () => {
        const { store, result } = await imported("download.xml", espiFeedText(oneHouse(prefix)));
        try {
          assert.equal(result.stored, 48);
          assert.equal(result.findings?.format, "espi");
          assert.deepEqual(result.found.map(({ meter, count, unit }) => ({ meter, count, unit })), [{ meter: "12-Elm-St", count: 48, unit: "kWh" }]);
          const readings = await readingsOf(store, "12-Elm-St");
          assert.deepEqual(readings.slice(0, 4), [
            { time: at("2026-01-15T05:00:00Z"), value: 0.819 },
            { time: at("2026-01-15T06:00:00Z"), value: 1.204 },
            { time: at("2026-01-15T07:00:00Z"), value: 0 },
            { time: at("2026-01-15T08:00:00Z"), value: 0.077 },
          ]);
          assert.equal(readings.length, 48);
          assert.match(result.findings!.notes[0], /LocalTimeParameters \(line \d+\): standard time UTC-05:00, 1 h ahead from the second Sunday of March at 02:00 \(360E2000\) to the first Sunday of November at 02:00 \(B40E2000\)/);
        } finally {
          await store.close();
        }
      });
    }

    it("names meters after their UsagePoints, -2 for a second MeterReading, -export for received energy, and keeps gaps as gaps", async () => {
      const start = seconds("2026-06-01T04:00:00Z");
      const withGap = hourlyBlocks(start, 24, (i) => String(i * 10)).map((block) => block.filter((_, i) => i < 5 || i > 7));
      const feed = espiFeedText({
        prefix: "espi:",
        usagePoints: [
          {
            title: "Main House",
            meterReadings: [
              { blocks: withGap },
              { blocks: hourlyBlocks(start, 3, () => "5"), power: -1 },
              { blocks: hourlyBlocks(start, 2, () => "250"), flowDirection: 19 },
            ],
          },
          { title: "Garage / Workshop", meterReadings: [{ uom: 42, power: -3, blocks: hourlyBlocks(start, 2, (i) => String(1500 + i)) }] },
          { title: "Garage / Workshop", meterReadings: [{ uom: 169, blocks: hourlyBlocks(start, 1, () => "3") }] },
        ],
      });
      const { store, result } = await imported("building.xml", feed);
      try {
        assert.deepEqual(
          result.found.map(({ meter, count, unit }) => [meter, count, unit]),
          [
            ["Main-House", 21, "kWh"],
            ["Main-House-2", 3, "kWh"],
            ["Main-House-export", 2, "kWh"],
            ["Garage-Workshop", 2, "m3"],
            ["Garage-Workshop-2", 1, "therm"],
          ],
        );
        const main = await readingsOf(store, "Main-House");
        assert.deepEqual(main.slice(4, 6), [{ time: (start + 4 * 3600) * 1000, value: 0.04 }, { time: (start + 8 * 3600) * 1000, value: 0.08 }], "the gap stays a gap");
        assert.deepEqual((await readingsOf(store, "Main-House-2"))[0].value, 0.0005);
        assert.deepEqual((await readingsOf(store, "Garage-Workshop")).map((r) => r.value), [1.5, 1.501]);
        assert.deepEqual((await readingsOf(store, "Main-House-export")).map((r) => r.value), [0.25, 0.25]);
        assert.match(result.found[0].origin!, /^UsagePoint "Main House", UsagePoint\/1\/MeterReading\/1$/);
      } finally {
        await store.close();
      }
    });

    it("counts readings without a timePeriod on from the IntervalBlock's start, and reads entries in any order", async () => {
      const start = seconds("2026-02-01T00:00:00Z");
      const blocks = [[{ start, value: "100" }, { start: 0, value: "200", noTimePeriod: true }, { start: 0, value: "300", noTimePeriod: true }]];
      const feed = espiFeedText({ prefix: "", blocksFirst: true, usagePoints: [{ title: "flat 1", meterReadings: [{ blocks, intervalLength: 900 }] }] });
      const { store } = await imported("flat.xml", feed, { meter: "flat-1" });
      try {
        assert.deepEqual(await readingsOf(store, "flat-1"), [
          { time: start * 1000, value: 0.1 },
          { time: (start + 900) * 1000, value: 0.2 },
          { time: (start + 1800) * 1000, value: 0.3 },
        ]);
      } finally {
        await store.close();
      }
    });

    it("refuses a meter name for a file of several MeterReadings, since it cannot name them all", async () => {
      const feed = espiFeedText({ prefix: "espi:", usagePoints: [{ title: "a", meterReadings: [{ blocks: hourlyBlocks(newYorkWinter, 1, () => "1") }, { blocks: hourlyBlocks(newYorkWinter, 1, () => "1") }] }] });
      const error = await refused("two.xml", feed, { meter: "flat-1" });
      assert.match(error.message, /^line \d+: the file holds more than one MeterReading, so a meter name given for the file cannot name them all/);
    });

    it("refuses units it does not store and summation registers, naming the element's line", async () => {
      const watts = espiFeedText({ prefix: "espi:", usagePoints: [{ title: "a", meterReadings: [{ uom: 38, blocks: hourlyBlocks(newYorkWinter, 2, () => "1") }] }] });
      const uomLine = watts.split("\n").findIndex((line) => line.includes("<espi:uom>38")) + 1;
      const error = await refused("watts.xml", watts);
      assert.ok(error instanceof FileFormatError);
      assert.equal(error.message, `line ${uomLine}: the ReadingType's <uom> is 38, a unit meterusage does not store: it stores 72 (Wh), 42 (m3) and 169 (therm)`);
      const register = espiFeedText({ prefix: "", usagePoints: [{ title: "a", meterReadings: [{ accumulationBehaviour: 9, blocks: hourlyBlocks(newYorkWinter, 2, () => "1") }] }] });
      assert.match((await refused("register.xml", register)).message, /<accumulationBehaviour> is 9, a summation register \(running totals\): meterusage needs interval data/);
    });

    it("refuses truncated XML, naming the line, and stores nothing of what came before", async () => {
      const feed = espiFeedText(oneHouse("espi:"));
      const cut = feed.slice(0, feed.lastIndexOf("<espi:IntervalReading>") + 30);
      const error = await refused("cut.xml", cut);
      assert.ok(error instanceof FileFormatError);
      assert.match(error.message, new RegExp(`^line ${cut.split("\n").length}: not well-formed XML: `));
    });

    it("refuses a DTD at once, whether an external entity (XXE) or an entity bomb, reading neither", async () => {
      const xxe = `<?xml version="1.0"?>\n<!DOCTYPE feed [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>&secret;</title></feed>\n`;
      assert.equal((await refused("xxe.xml", xxe)).message, "line 2: the document declares a DTD (<!DOCTYPE feed …): meterusage reads no DTDs and expands no entities, and ESPI feeds need none");
      const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("\n");
      const bomb = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n${entities}\n]>\n<feed>&lol10;</feed>\n`;
      const before = process.memoryUsage().rss;
      assert.match((await refused("bomb.xml", bomb)).message, /^line 2: the document declares a DTD \(<!DOCTYPE lolz/);
      assert.ok(process.memoryUsage().rss - before < 50 * 1024 * 1024, "the bomb is never expanded");
    });

    it("refuses a document that is not an Atom feed, and an undefined entity", async () => {
      assert.match((await refused("other.xml", `<?xml version="1.0"?>\n<html><body/></html>`)).message, /^line 2: <html> is not an Atom feed/);
      assert.match((await refused("entity.xml", `<feed>\n<entry><title>&nbsp;</title></entry></feed>`)).message, /^line 2: not well-formed XML: .*entity/i);
    });
  });

  describe("Green Button CSV", () => {
    const header = "TYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES";
    const row = (date: string, start: string, end: string, usage: string, notes = "") => `Electric usage,${date},${start},${end},${usage},$0.12,${notes}`;

    it("needs the zone its local times are in, and says so", async () => {
      const error = await refused("usage.csv", greenButtonCsvText(header, [row("2026-01-15", "0:00", "0:59", "1.2")]));
      assert.ok(error instanceof IngestError);
      assert.equal(error.message, "a Green Button CSV holds local times without their zone: give the zone they are in with --time-zone, such as America/New_York");
    });

    it("reads New York's fall-back hour in order and refuses its skipped spring hour, naming the line", async () => {
      const rows = ["0:00", "1:00", "1:00", "2:00"].map((start, i) => row("11/1/2026", start, start.replace(":00", ":59"), String(i + 1), i === 1 ? '"first 1:00, daylight time"' : ""));
      const { store, result } = await imported("Jane Doe usage 2026.csv", greenButtonCsvText(header, rows), { timeZone: "America/New_York" });
      try {
        assert.deepEqual(result.found.map(({ meter, unit }) => [meter, unit]), [["Jane-Doe-usage-2026", "kWh"]]);
        assert.deepEqual(await readingsOf(store, "Jane-Doe-usage-2026"), [
          { time: at("2026-11-01T04:00:00Z"), value: 1 },
          { time: at("2026-11-01T05:00:00Z"), value: 2 },
          { time: at("2026-11-01T06:00:00Z"), value: 3 },
          { time: at("2026-11-01T07:00:00Z"), value: 4 },
        ]);
      } finally {
        await store.close();
      }
      const spring = greenButtonCsvText(header, [row("2026-03-08", "01:00", "01:59", "1"), row("2026-03-08", "02:00", "02:59", "1")]);
      const error = await refused("spring.csv", spring, { timeZone: "America/New_York" });
      assert.equal(error.message, "line 8: 2026-03-08 02:00 does not exist in America/New_York: the clocks went forward over it");
    });

    it("reads London's clock changes, IMPORT and EXPORT as two meters, and the unit from UNITS", async () => {
      const importExport = "TYPE,DATE,START TIME,END TIME,IMPORT (kWh),EXPORT (kWh)";
      const rows = [
        "Electric usage,2026-10-25,00:00,00:59,0.30,0.00",
        "Electric usage,2026-10-25,01:00,01:59,0.20,0.00",
        "Electric usage,2026-10-25,01:00,01:59,0.10,",
        "Electric usage,2026-10-25,02:00,02:59,0.40,0.05",
      ];
      const { store, result } = await imported("solar.csv", greenButtonCsvText(importExport, rows), { timeZone: "Europe/London", meter: "flat-3" });
      try {
        assert.deepEqual(result.found.map(({ meter, count, unit }) => [meter, count, unit]), [["flat-3", 4, "kWh"], ["flat-3-export", 4, "kWh"]]);
        assert.deepEqual((await readingsOf(store, "flat-3")).map((r) => r.time), ["2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"].map(at));
        assert.deepEqual((await readingsOf(store, "flat-3-export")).map((r) => r.value), [0, 0, null, 0.05]);
      } finally {
        await store.close();
      }
      const units = greenButtonCsvText("TYPE,DATE,START TIME,END TIME,USAGE,UNITS,COST", ["Natural gas usage,2026-03-29,0:00,0:59,0.5,therms,$1.00", "Natural gas usage,2026-03-29,2:00,2:59,0.5,therms,$1.00"]);
      const gas = await imported("gas.csv", units, { timeZone: "Europe/London" });
      try {
        assert.deepEqual(gas.result.found.map(({ meter, unit }) => [meter, unit]), [["gas", "therm"]]);
        assert.deepEqual((await readingsOf(gas.store, "gas")).map((r) => r.time), [at("2026-03-29T00:00:00Z"), at("2026-03-29T01:00:00Z")]);
      } finally {
        await gas.store.close();
      }
      const skipped = greenButtonCsvText(header, [row("2026-03-29", "1:00", "1:59", "1")]);
      assert.equal((await refused("skipped.csv", skipped, { timeZone: "Europe/London" })).message, "line 7: 2026-03-29 01:00 does not exist in Europe/London: the clocks went forward over it");
    });

    it("refuses a row in the wrong shape, naming its line", async () => {
      const text = greenButtonCsvText(header, [row("2026-01-15", "0:00", "0:59", "1"), "Electric usage,2026-01-15,1:00"]);
      assert.equal((await refused("short.csv", text, { timeZone: "UTC" })).message, "line 8: expected at least 5 columns, as the Green Button header has, found 3");
      const bad = greenButtonCsvText(header, [row("15.01.2026", "0:00", "0:59", "1")]);
      assert.match((await refused("date.csv", bad, { timeZone: "UTC" })).message, /^line 7: cannot read the date "15.01.2026"/);
    });
  });

  describe("spreadsheet CSV", () => {
    it("reads RFC 4180 quoting: quoted headers, a decimal comma in quotes, a line break inside a quoted field", async () => {
      const text = `"time","flat-1","flat-2"\r\n"2026-01-01 00:00:00","1,5",2\r\n2026-01-01 00:15:00,"2\r\n",""\r\n2026-01-01 00:30:00,"""3""",4\r\n`;
      const error = await refused("quoted.csv", text);
      assert.equal(error.message, 'line 5: the value "\\"3\\"" of meter flat-1 is not a number (write NaN or leave it empty for a missing reading)', "the line after a two-line row is named rightly");
      const { store } = await imported("quoted.csv", text.split("\r\n").slice(0, 4).join("\r\n"));
      try {
        assert.deepEqual(await readingsOf(store, "flat-1"), [{ time: at("2026-01-01T00:00:00Z"), value: 1.5 }, { time: at("2026-01-01T00:15:00Z"), value: 2 }]);
        assert.deepEqual(await readingsOf(store, "flat-2"), [{ time: at("2026-01-01T00:00:00Z"), value: 2 }, { time: at("2026-01-01T00:15:00Z"), value: null }]);
      } finally {
        await store.close();
      }
    });

    it("reads the European dialect, told by its header: semicolons and decimal commas, in both shapes", async () => {
      const wide = "time;flat-1\n2026-01-01 00:00:00;1,5\n2026-01-01 00:15:00;\"2,25\"\n2026-01-01 00:30:00;NaN\n2026-01-01 00:45:00;-0,125\n";
      const { store } = await imported("eu.csv", wide);
      try {
        assert.deepEqual((await readingsOf(store, "flat-1")).map((r) => r.value), [1.5, 2.25, null, -0.125]);
      } finally {
        await store.close();
      }
      const long = imported("eu-long.csv", "meter;time;value\nflat-1;2026-01-01T00:00:00Z;0,5\n\"flat-2\";2026-01-01T00:00:00Z;7\n");
      const { store: longStore, result } = await long;
      try {
        assert.deepEqual(result.found.map(({ meter }) => meter), ["flat-1", "flat-2"]);
        assert.deepEqual(await readingsOf(longStore, "flat-1"), [{ time: at("2026-01-01T00:00:00Z"), value: 0.5 }]);
      } finally {
        await longStore.close();
      }
    });

    it("reads epoch seconds and milliseconds as times, a number below 1e11 being seconds", async () => {
      const { store } = await imported("epoch.csv", "time,flat-1\n1767225600,1\n1767226500000,2\n");
      try {
        assert.deepEqual(await readingsOf(store, "flat-1"), [{ time: at("2026-01-01T00:00:00Z"), value: 1 }, { time: at("2026-01-01T00:15:00Z"), value: 2 }]);
      } finally {
        await store.close();
      }
    });

    it("refuses a file without its header, and a quote never closed, naming the line", async () => {
      assert.match((await refused("headless.csv", "2026-01-01 00:00:00,1\n")).message, /^line 1: expected the header `time,<meter>/);
      assert.equal((await refused("open.csv", 'time,flat-1\n2026-01-01 00:00:00,"1\n')).message, "line 2: a quoted field opened on this line is never closed");
    });
  });

  describe("Octopus Energy JSON", () => {
    // Half-hours across London's spring change, as the API gives them: newest first, each with its own offset.
    const spring = [
      { start: "2026-03-29T03:00:00+01:00", end: "2026-03-29T03:30:00+01:00", consumption: 0.25 },
      { start: "2026-03-29T02:30:00+01:00", end: "2026-03-29T03:00:00+01:00", consumption: 0.125 },
      { start: "2026-03-29T00:30:00Z", end: "2026-03-29T02:00:00+01:00", consumption: 0.063 },
      { start: "2026-03-29T00:00:00Z", end: "2026-03-29T00:30:00Z", consumption: null },
    ];
    const expected = [
      { time: at("2026-03-29T00:00:00Z"), value: null },
      { time: at("2026-03-29T00:30:00Z"), value: 0.063 },
      { time: at("2026-03-29T01:30:00Z"), value: 0.125 },
      { time: at("2026-03-29T02:00:00Z"), value: 0.25 },
    ];

    it("reads one page, an array of pages and JSON lines of pages alike, in kWh unless told", async () => {
      const pages = [octopusPage(spring.slice(0, 2), "https://api.octopus.energy/v1/...?page=2"), octopusPage(spring.slice(2))];
      for (const [name, text] of [
        ["page.json", JSON.stringify(octopusPage(spring), null, 2)],
        ["pages.json", JSON.stringify(pages)],
        ["pages.jsonl", pages.map((page) => JSON.stringify(page)).join("\n")],
      ]) {
        const { store, result } = await imported(name, text, { meter: "mpan-1200012345678" });
        try {
          assert.deepEqual(result.found.map(({ meter, unit, count }) => [meter, unit, count]), [["mpan-1200012345678", "kWh", 4]], name);
          assert.deepEqual(await readingsOf(store, "mpan-1200012345678"), expected, name);
        } finally {
          await store.close();
        }
      }
      const gas = await imported("gas.json", JSON.stringify(octopusPage(spring)), { unit: "m3" });
      try {
        assert.deepEqual(gas.result.found.map(({ meter, unit }) => [meter, unit]), [["gas", "m3"]]);
      } finally {
        await gas.store.close();
      }
    });

    it("refuses a page without results, a result without its offset, and a time twice, naming the line", async () => {
      const lines = [JSON.stringify(octopusPage(spring)), JSON.stringify({ count: 0, next: null })].join("\n");
      assert.match((await refused("missing.jsonl", lines)).message, /^line 2: the page on line 2 has no `results` list/);
      const naive = JSON.stringify(octopusPage([{ start: "2026-03-29T00:00:00", end: "", consumption: 1 }]), null, 2);
      assert.match((await refused("naive.json", naive)).message, /^line 8: the page results\[0\]\.interval_start "2026-03-29T00:00:00" is not a time with its offset/);
      const twice = [JSON.stringify(octopusPage(spring)), JSON.stringify(octopusPage(spring.slice(0, 1)))].join("\n");
      assert.match((await refused("twice.jsonl", twice)).message, /^line 2: a reading of meter twice for 2026-03-29T02:00:00Z/);
    });
  });

  describe("ESPI out and in", () => {
    it("writes a meter's readings as a feed that imports back to the same readings", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ gap: fc.integer({ min: 1, max: 3 }), value: fc.option(fc.integer({ min: -5000, max: 2_000_000 }), { nil: null }), scale: fc.integer({ min: 0, max: 4 }) }), { minLength: 1, maxLength: 80 }),
          fc.constantFrom("UTC", "Europe/London", "America/New_York"),
          fc.constantFrom("kWh", "m3", "therm"),
          async (steps, zone, unit) => {
            const source = new SqliteStore(join(folder, `${++fileNumber}-source.db`));
            const target = new SqliteStore(join(folder, `${fileNumber}-target.db`));
            try {
              let time = at("2026-03-28T20:00:00Z");
              const readings: Reading[] = steps.map(({ gap, value, scale }) => ({ time: (time += gap * 900_000), value: value === null ? null : Number(`${value}e-${scale}`) }));
              await source.appendReadings([{ meter: "flat-1", readings }]);
              await source.setMeterSettings("flat-1", { unit, timeZone: zone });
              let feed = "";
              for await (const chunk of espiFeed(source, (await source.meter("flat-1"))!, {})) feed += chunk;
              // In this thread, as a POST body is read: a worker a run would make the property slow to check.
              const { batches, findings } = await inputReadings([feed], {});
              await target.importReadings(batches);
              const kept = readings.filter((reading) => reading.value !== null);
              if (kept.length === 0) {
                assert.equal(await target.count(), 0, "a feed of missing readings alone holds none");
                return;
              }
              assert.deepEqual(findings.sources.map(({ meter, unit: foundUnit }) => [meter, foundUnit]), [["flat-1", unit]]);
              assert.deepEqual(await readingsOf(target, "flat-1"), kept);
            } finally {
              await source.close();
              await target.close();
            }
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { espiFeedText, greenButtonCsvText, hourlyBlocks, octopusPage } from "./support/meter-files.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const token = "s3cret-token";
const python = "/usr/bin/python3";

/** An ESPI reader of its own, from Python's standard library: what a utility engineer's script would do with the feed. */
const pythonEspiReader = `
import sys, json, xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
E = "{http://naesb.org/espi}"
root = ET.parse(sys.stdin).getroot()
assert root.tag == A + "feed", root.tag
out = {"usagePoints": [], "readingTypes": [], "blocks": [], "localTime": None}
for entry in root.findall(A + "entry"):
    content = entry.find(A + "content")
    for child in content:
        if child.tag == E + "UsagePoint":
            out["usagePoints"].append(entry.find(A + "title").text)
        elif child.tag == E + "ReadingType":
            out["readingTypes"].append({k: int(child.find(E + k).text) for k in ["uom", "powerOfTenMultiplier", "intervalLength", "accumulationBehaviour"]})
        elif child.tag == E + "LocalTimeParameters":
            out["localTime"] = {k: child.find(E + k).text for k in ["tzOffset", "dstOffset", "dstStartRule", "dstEndRule"]}
        elif child.tag == E + "IntervalBlock":
            interval = child.find(E + "interval")
            readings = [(int(r.find(E + "timePeriod/" + E + "start").text), int(r.find(E + "timePeriod/" + E + "duration").text), int(r.find(E + "value").text)) for r in child.findall(E + "IntervalReading")]
            out["blocks"].append({"start": int(interval.find(E + "start").text), "duration": int(interval.find(E + "duration").text), "readings": readings})
print(json.dumps(out))
`;

describe("the formats over HTTP", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ ingestToken: token })));
  after(() => server.close());

  const post = (body: string, type: string, query = "") =>
    fetch(`${server.baseUrl}/api/readings${query}`, { method: "POST", body, headers: { "content-type": type, authorization: `Bearer ${token}` } });

  const feed = espiFeedText({
    prefix: "",
    localTime: { tzOffset: -18000, dstOffset: 3600, dstStartRule: "360E2000", dstEndRule: "B40E2000" },
    usagePoints: [
      { title: "Unit 4A", meterReadings: [{ blocks: hourlyBlocks(Date.parse("2026-03-07T05:00:00Z") / 1000, 48, (i) => String(500 + i)) }] },
      { title: "Unit 4B", meterReadings: [{ blocks: hourlyBlocks(Date.parse("2026-03-07T05:00:00Z") / 1000, 24, () => "819") }] },
    ],
  });

  it("tells what an ESPI feed holds with dry_run, storing nothing, then stores it with the same request", async () => {
    const dry = await post(feed, "application/atom+xml", "?dry_run=1");
    assert.equal(dry.status, 200);
    const found = await dry.json();
    assert.deepEqual(found.meters.map(({ meter, count, firstTime, lastTime, unit }: Record<string, unknown>) => [meter, count, firstTime, lastTime, unit]), [
      ["Unit-4A", 48, "2026-03-07T05:00:00Z", "2026-03-09T04:00:00Z", "kWh"],
      ["Unit-4B", 24, "2026-03-07T05:00:00Z", "2026-03-08T04:00:00Z", "kWh"],
    ]);
    assert.equal(found.format, "espi");
    assert.equal(found.dryRun, true);
    assert.match(found.notes[0], /^LocalTimeParameters/);
    assert.equal(await server.store.meter("Unit-4A"), undefined, "a dry run stores nothing");

    const stored = await post(feed, "application/xml");
    assert.equal(stored.status, 200);
    const answer = await stored.json();
    assert.deepEqual([answer.stored, answer.alreadyStored, answer.format], [72, 0, "espi"]);
    assert.equal((await server.store.meter("Unit-4B"))?.unit, "kWh");
    const again = await (await post(feed, "text/xml")).json();
    assert.deepEqual([again.stored, again.alreadyStored], [0, 72], "a retry stores nothing twice");
  });

  it("refuses malformed XML and a DTD with 400, naming the line, storing nothing", async () => {
    const before = await server.store.count();
    const cut = await post(feed.slice(0, feed.length / 2), "application/atom+xml");
    assert.equal(cut.status, 400);
    assert.match((await cut.json()).error, /^line \d+: not well-formed XML/);
    const xxe = await post(`<?xml version="1.0"?>\n<!DOCTYPE feed SYSTEM "http://attacker.example/x.dtd">\n<feed/>`, "application/xml");
    assert.equal(xxe.status, 400);
    assert.match((await xxe.json()).error, /^line 2: the document declares a DTD \(<!DOCTYPE feed SYSTEM "http:\/\/attacker.example\/x.dtd" …\)/);
    assert.equal(await server.store.count(), before);
  });

  it("stores a Green Button CSV in the zone of `tz`, named by `file`, and asks for the zone without it", async () => {
    const csv = greenButtonCsvText("TYPE,DATE,START TIME,END TIME,USAGE (kWh),NOTES", [
      "Electric usage,2026-11-01,00:00,00:59,0.50,",
      'Electric usage,2026-11-01,01:00,01:59,0.40,"daylight, then standard"',
      "Electric usage,2026-11-01,01:00,01:59,0.30,",
    ]);
    const missing = await post(csv, "text/csv");
    assert.equal(missing.status, 400);
    assert.match((await missing.json()).error, /give the zone they are in with the `tz` parameter/);
    const stored = await post(csv, "text/csv", "?tz=America/New_York&file=Pine%20Court.csv");
    assert.equal(stored.status, 200);
    assert.deepEqual((await stored.json()).meters.map(({ meter, count }: Record<string, unknown>) => [meter, count]), [["Pine-Court", 3]]);
    const meter = await server.store.meter("Pine-Court");
    assert.deepEqual([meter?.unit, meter?.timeZone, meter?.lastTime], ["kWh", "America/New_York", Date.parse("2026-11-01T06:00:00Z")]);
  });

  it("tells Octopus pages from today's JSON body by their shape", async () => {
    const pages = [octopusPage([{ start: "2026-03-29T02:00:00+01:00", end: "2026-03-29T02:30:00+01:00", consumption: 0.2 }]), octopusPage([{ start: "2026-03-29T00:30:00Z", end: "2026-03-29T02:00:00+01:00", consumption: 0.1 }])];
    const octopus = await post(JSON.stringify(pages), "application/json", "?meter=octopus-elec");
    assert.equal(octopus.status, 200);
    assert.deepEqual((await octopus.json()).meters.map(({ meter, count, unit }: Record<string, unknown>) => [meter, count, unit]), [["octopus-elec", 2, "kWh"]]);
    const today = await post(JSON.stringify({ meter: "octopus-elec", readings: [{ time: "2026-03-29T02:00:00Z", value: 3 }] }), "application/json");
    assert.deepEqual(await today.json(), { stored: 1, alreadyStored: 0 }, "today's body answers as it did");
    const noResults = await post(`${JSON.stringify(pages[0])}\n{"count":1}\n`, "application/json", "?meter=octopus-elec");
    assert.equal(noResults.status, 400);
    assert.match((await noResults.json()).error, /^line 2: the page on line 2 has no `results` list/);
  });

  it("writes a meter as an ESPI feed that Python's own XML parser reads, with exact whole-number values", async (t) => {
    const response = await fetch(`${server.baseUrl}/api/readings?format=espi&meter=Unit-4A`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type")!, /^application\/atom\+xml/);
    assert.match(response.headers.get("content-disposition")!, /filename="Unit-4A_first_last\.xml"/);
    const text = await response.text();
    if (!existsSync(python)) return t.skip(`${python} is not installed, so no independent parser reads the feed`);
    const parsed = spawnSync(python, ["-c", pythonEspiReader], { input: text, encoding: "utf8" });
    assert.equal(parsed.status, 0, parsed.stderr);
    const { usagePoints, readingTypes, blocks, localTime } = JSON.parse(parsed.stdout);
    assert.deepEqual(usagePoints, ["Unit-4A"]);
    assert.deepEqual(readingTypes, [{ uom: 72, powerOfTenMultiplier: 0, intervalLength: 3600, accumulationBehaviour: 4 }]);
    assert.deepEqual(localTime, { tzOffset: "0", dstOffset: "0", dstStartRule: "00000000", dstEndRule: "00000000" }, "the meter's zone is UTC");
    assert.deepEqual(blocks.map((block: { readings: unknown[] }) => block.readings.length), [19, 24, 5], "a block a day of the meter's zone");
    assert.deepEqual(blocks[0].readings[0], [Date.parse("2026-03-07T05:00:00Z") / 1000, 3600, 500]);
    assert.deepEqual(blocks.flatMap((block: { readings: number[][] }) => block.readings.map((reading) => reading[2])), Array.from({ length: 48 }, (_, i) => 500 + i));
  });

  it("refuses to write a meter without an ESPI unit, saying so", async () => {
    const response = await fetch(`${server.baseUrl}/api/readings?format=espi`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      error: `the meter meterusage has no unit: an ESPI feed holds kWh, m3 or therm (uom 72, 42 or 169); set the unit with meterusage meters set meterusage --unit kWh`,
    });
  });
});

import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { meterusage } from "./support/meterusage-command.js";
import { espiFeedText, greenButtonCsvText, hourlyBlocks } from "./support/meter-files.js";
import { temporaryFolder } from "./support/test-server.js";

describe("meterusage import and export of Green Button files", () => {
  let folder: string;
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("imports an ESPI download, says which meter got which readings and what LocalTimeParameters it found, and exports it back", () => {
    const db = join(folder, "espi.db");
    const file = join(folder, "Download My Data.xml");
    const start = Date.parse("2026-01-15T05:00:00Z") / 1000;
    writeFileSync(
      file,
      espiFeedText({
        prefix: "espi:",
        localTime: { tzOffset: -18000, dstOffset: 3600, dstStartRule: "360E2000", dstEndRule: "B40E2000" },
        usagePoints: [{ title: "12 Elm St", meterReadings: [{ blocks: hourlyBlocks(start, 30, (i) => String(800 + i)) }, { flowDirection: 19, blocks: hourlyBlocks(start, 2, () => "1250") }] }],
      }),
    );
    const imported = meterusage("import", file, "--db", db, "--time-zone", "America/New_York");
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(
      imported.stdout,
      `${file} is Green Button ESPI XML:\n` +
        '  meter 12-Elm-St: 30 readings from 2026-01-15T05:00:00Z to 2026-01-16T10:00:00Z, kWh (UsagePoint "12 Elm St", UsagePoint/1/MeterReading/1)\n' +
        '  meter 12-Elm-St-export: 2 readings from 2026-01-15T05:00:00Z to 2026-01-15T06:00:00Z, kWh (UsagePoint "12 Elm St", UsagePoint/1/MeterReading/2)\n' +
        "  LocalTimeParameters (line 10): standard time UTC-05:00, 1 h ahead from the second Sunday of March at 02:00 (360E2000) to the first Sunday of November at 02:00 (B40E2000). The meters' zone is set only by the time zone given with the import, not guessed from these.\n" +
        `stored 32 readings from ${file} in ${db}\n` +
        "set time zone America/New_York on 2 meters\n",
    );
    // The file's unit and the zone given were set in the import's own transaction, on both meters.
    const meters = meterusage("meters", "--db", db);
    assert.match(meters.stdout, /^12-Elm-St +30 .* kWh +America\/New_York/m);
    assert.match(meters.stdout, /^12-Elm-St-export +2 .* kWh +America\/New_York/m);
    const exported = meterusage("export", "--db", db, "--meter", "12-Elm-St", "--format", "espi");
    assert.equal(exported.status, 0, exported.stderr);
    assert.match(exported.stdout, /<espi:tzOffset>-18000<\/espi:tzOffset>/);
    assert.match(exported.stdout, /<espi:dstStartRule>360E2000<\/espi:dstStartRule>/);
    const again = join(folder, "again.xml");
    writeFileSync(again, exported.stdout);
    const fresh = join(folder, "fresh.db");
    assert.equal(meterusage("import", again, "--db", fresh).status, 0);
    assert.equal(meterusage("export", "--db", fresh, "--meter", "12-Elm-St").stdout, meterusage("export", "--db", db, "--meter", "12-Elm-St").stdout);
  });

  it("refuses a Green Button CSV without --time-zone, and ESPI export of a meter without an ESPI unit", () => {
    const db = join(folder, "gb.db");
    const file = join(folder, "usage.csv");
    writeFileSync(file, greenButtonCsvText("TYPE,DATE,START TIME,END TIME,USAGE (kWh)", ["Electric usage,7/2/2026,0:00,0:14,0.21"]));
    const refused = meterusage("import", file, "--db", db);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr.trim().split("\n").at(-1), "meterusage: nothing was stored: a Green Button CSV holds local times without their zone: give the zone they are in with --time-zone, such as America/New_York");
    const csv = join(folder, "plain.csv");
    writeFileSync(csv, "time,flat-1\n2026-01-01 00:00:00,1\n");
    assert.equal(meterusage("import", csv, "--db", db).status, 0);
    const exported = meterusage("export", "--db", db, "--meter", "flat-1", "--format", "espi");
    assert.equal(exported.status, 1);
    assert.equal(exported.stdout, "");
    assert.equal(exported.stderr.trim(), "meterusage: the meter flat-1 has no unit: an ESPI feed holds kWh, m3 or therm (uom 72, 42 or 169); set the unit with meterusage meters set flat-1 --unit kWh");
  });
});

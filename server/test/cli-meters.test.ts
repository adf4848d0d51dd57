import assert from "node:assert/strict";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { bundledCsv } from "../src/package-paths.js";
import { meterusage } from "./support/meterusage-command.js";
import { createTestDatabase, testPostgres } from "./support/test-postgres.js";
import { temporaryFolder } from "./support/test-server.js";

const flats = "meter,time,value\nflat-2,2019-01-01 00:15:00,5\nflat-1,2019-01-01 00:00:00,1\nflat-1,2019-01-01 00:15:00,NaN\n";

function succeeds(...args: string[]): string {
  const { status, stdout, stderr } = meterusage(...args);
  assert.equal(status, 0, `meterusage ${args.join(" ")}: ${stderr}`);
  return stdout;
}

describe("the meterusage command's meters", () => {
  let folder: string;
  let flatsCsv: string;
  /** The bundled meter and two flats, for the tests that change nothing. */
  let fleetDb: string;
  before(() => {
    folder = temporaryFolder();
    flatsCsv = join(folder, "flats.csv");
    writeFileSync(flatsCsv, flats);
    fleetDb = fleet("shared");
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  /** A new store holding the bundled meter and two flats. */
  function fleet(name: string): string {
    const db = join(folder, `${name}.db`);
    succeeds("import", bundledCsv, "--db", db);
    succeeds("import", flatsCsv, "--db", db);
    return db;
  }

  it("lists every meter with its count, first and last time, unit, time zone and tariff", () => {
    assert.equal(
      succeeds("meters", "--db", fleetDb),
      [
        "meter       readings  first                 last                  unit  time zone  tariff",
        "flat-1             2  2019-01-01T00:00:00Z  2019-01-01T00:15:00Z  -     UTC        -",
        "flat-2             1  2019-01-01T00:15:00Z  2019-01-01T00:15:00Z  -     UTC        -",
        "meterusage      2975  2019-01-01T00:15:00Z  2019-01-31T23:45:00Z  -     UTC        -",
        "",
      ].join("\n"),
    );
  });

  it("sets a meter's unit and time zone with meters set, keeping a setting not given", () => {
    const db = fleet("set");
    assert.equal(succeeds("meters", "set", "flat-1", "--unit", "kWh", "--time-zone", "Europe/London", "--db", db), 'set unit "kWh", time zone Europe/London on the meter flat-1\n');
    succeeds("meters", "set", "flat-1", "--unit", "MWh", "--db", db);
    succeeds("meters", "set", "flat-2", "--time-zone", "America/New_York", "--db", db);
    const rows = succeeds("meters", "--db", db).split("\n");
    assert.match(rows[1], /^flat-1 .* MWh +Europe\/London +-$/);
    assert.match(rows[2], /^flat-2 .* - +America\/New_York +-$/);
    assert.match(rows[3], /^meterusage .* - +UTC +-$/);
  });

  it("refuses an unknown time zone, naming it, before it opens the store", () => {
    const db = join(folder, "never-opened.db");
    for (const args of [["meters", "set", "flat-1"], ["import", flatsCsv]]) {
      const { status, stderr } = meterusage(...args, "--time-zone", "Europe/Atlantis", "--db", db);
      assert.equal(status, 2);
      assert.equal(stderr.split("\n")[0], 'meterusage: --time-zone: the time zone "Europe/Atlantis" is not an IANA time zone such as Europe/London');
    }
    assert.equal(existsSync(db), false);
  });

  it("refuses a meter the store does not have, and meters set with nothing to set", () => {
    const unknown = meterusage("meters", "set", "flat-9", "--unit", "kWh", "--db", fleetDb);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'meterusage: there is no meter "flat-9"\n');
    const nothing = meterusage("meters", "set", "flat-1", "--db", fleetDb);
    assert.equal(nothing.status, 2);
    assert.match(nothing.stderr, /^meterusage: give --unit, --time-zone, --tariff or several\n\nUsage: meterusage meters set NAME/);
  });

  it("sets --unit and --time-zone on every meter an import holds, and on no other", () => {
    const db = join(folder, "import-settings.db");
    succeeds("import", bundledCsv, "--db", db);
    const stdout = succeeds("import", flatsCsv, "--db", db, "--unit", "kWh", "--time-zone", "Europe/London");
    assert.match(stdout, /^stored 3 readings from .*\nset unit "kWh", time zone Europe\/London on 2 meters\n$/);
    const rows = succeeds("meters", "--db", db).split("\n");
    assert.match(rows[1], /^flat-1 .* kWh +Europe\/London +-$/);
    assert.match(rows[2], /^flat-2 .* kWh +Europe\/London +-$/);
    assert.match(rows[3], /^meterusage .* - +UTC +-$/);
  });

  it("exports every meter with --all into a file that makes a fresh store the same, meter by meter", () => {
    const all = join(folder, "all.csv");
    writeFileSync(all, succeeds("export", "--all", "--db", fleetDb));
    const copy = join(folder, "copy-of-all.db");
    succeeds("import", all, "--db", copy);
    assert.equal(succeeds("meters", "--db", copy), succeeds("meters", "--db", fleetDb));
    for (const meter of ["flat-1", "flat-2", "meterusage"]) {
      const exported = succeeds("export", "--meter", meter, "--db", copy);
      assert.equal(exported, succeeds("export", "--meter", meter, "--db", fleetDb));
      assert.equal(exported.split("\n")[0], `time,${meter}`);
    }
    assert.equal(meterusage("export", "--meter", "flat-9", "--db", copy).stderr, 'meterusage: there is no meter "flat-9"\n');
  });

  const cluster = testPostgres();
  it("lists and sets meters in a PostgreSQL database", { skip: cluster.skip }, async () => {
    const database = await createTestDatabase(cluster.url!);
    try {
      succeeds("import", flatsCsv, "--db", database.url, "--unit", "kWh");
      succeeds("meters", "set", "flat-2", "--time-zone", "Asia/Kolkata", "--db", database.url);
      assert.equal(meterusage("meters", "set", "flat-9", "--unit", "kWh", "--db", database.url).status, 1);
      assert.equal(
        succeeds("meters", "--db", database.url),
        [
          "meter   readings  first                 last                  unit  time zone     tariff",
          "flat-1         2  2019-01-01T00:00:00Z  2019-01-01T00:15:00Z  kWh   UTC           -",
          "flat-2         1  2019-01-01T00:15:00Z  2019-01-01T00:15:00Z  kWh   Asia/Kolkata  -",
          "",
        ].join("\n"),
      );
    } finally {
      await database.drop();
    }
  });
});

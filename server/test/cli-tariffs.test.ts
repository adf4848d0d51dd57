import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { readPricedUsage } from "../src/pricing/read-priced-usage.js";
import { meterusage } from "./support/meterusage-command.js";
import { temporaryFolder } from "./support/test-server.js";

function succeeds(...args: string[]): string {
  const { status, stdout, stderr } = meterusage(...args);
  assert.equal(status, 0, `meterusage ${args.join(" ")}: ${stderr}`);
  return stdout;
}

const octopus = {
  name: "octopus-go",
  currency: "GBP",
  timeZone: "Europe/London",
  versions: [{ validFrom: "2019-01-01T00:00:00Z", standingChargePerDay: 0.45, rates: [{ price: 0.085, windowStart: "00:30", windowEnd: "04:30" }, { price: 0.27 }] }],
};

describe("the meterusage command's tariffs and prices", () => {
  let folder: string;
  let db: string;
  before(() => {
    folder = temporaryFolder();
    db = join(folder, "store.db");
    const readings = join(folder, "flat.csv");
    writeFileSync(readings, "meter,time,value\nflat-1,2019-01-01T00:00:00Z,1\nflat-1,2019-01-01T01:00:00Z,2\nflat-1,2019-01-01T06:00:00Z,4\n");
    succeeds("import", readings, "--db", db);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("sets a tariff from a JSON file, lists it, gives it to a meter, and the meter's usage has costs", async () => {
    const file = join(folder, "octopus-go.json");
    writeFileSync(file, JSON.stringify(octopus));
    assert.equal(succeeds("tariffs", "set", file, "--db", db), "stored the tariff octopus-go (GBP, Europe/London, 1 version)\n");
    const listed = succeeds("tariffs", "list", "--db", db).trim().split("\n").map((line) => JSON.parse(line));
    assert.deepEqual(listed.map(({ name, versions }) => [name, versions[0].rates.length]), [["octopus-go", 2]]);
    assert.equal(succeeds("meters", "set", "flat-1", "--tariff", "octopus-go", "--db", db), "set tariff octopus-go on the meter flat-1\n");
    assert.match(succeeds("meters", "--db", db), /^meter .* tariff\nflat-1 .* UTC +octopus-go\n$/);
    const store = new SqliteStore(db);
    try {
      const usage = await readPricedUsage(store, { meters: [(await store.meter("flat-1"))!], range: { start: Date.UTC(2019, 0, 1), end: Date.UTC(2019, 0, 2) }, period: "day" });
      const [day] = usage.meters[0].periods;
      assert.ok(Math.abs(day.cost! - (1 * 0.27 + 2 * 0.085 + 4 * 0.27 + 0.45)) < 1e-12, `cost ${day.cost}`);
    } finally {
      await store.close();
    }
    assert.equal(succeeds("meters", "set", "flat-1", "--tariff", "", "--db", db), "set no tariff on the meter flat-1\n");
  });

  it("imports prices from a CSV file, and refuses a bad line, an unknown tariff and a bad tariff file, storing nothing", () => {
    const prices = join(folder, "prices.csv");
    writeFileSync(prices, "start,end,price\n2019-01-01T00:00:00Z,2019-01-01T00:30:00Z,0.12\n2019-01-01T00:30:00Z,2019-01-01T01:00:00Z,-0.01\n");
    assert.equal(succeeds("prices", "import", "octopus-go", prices, "--db", db), "stored 2 prices of the tariff octopus-go\n");
    const unknown = meterusage("prices", "import", "agile", prices, "--db", db);
    assert.deepEqual([unknown.status, unknown.stderr], [1, 'meterusage: there is no tariff "agile"\n']);
    writeFileSync(prices, "start,end,price\n2019-01-02T00:00:00Z,2019-01-02T00:30:00Z,0.12\n2019-01-02T00:30:00Z,2019-01-02T01:00:00Z,cheap\n");
    const bad = meterusage("prices", "import", "octopus-go", prices, "--db", db);
    assert.deepEqual([bad.status, bad.stderr], [1, 'meterusage: nothing was stored: line 3: the price "cheap" is not a number\n']);
    const file = join(folder, "bad.json");
    writeFileSync(file, JSON.stringify({ ...octopus, timeZone: "London" }));
    const badTariff = meterusage("tariffs", "set", file, "--db", db);
    assert.deepEqual([badTariff.status, badTariff.stderr], [1, 'meterusage: nothing was stored: timeZone: "London" is not an IANA time zone such as Europe/London\n']);
    const unknownTariff = meterusage("meters", "set", "flat-1", "--tariff", "agile", "--db", db);
    assert.deepEqual([unknownTariff.status, unknownTariff.stderr], [1, 'meterusage: there is no tariff "agile"\n']);
  });
});

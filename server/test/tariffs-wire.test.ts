import assert from "node:assert/strict";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, createClient } from "@connectrpc/connect";
import { after, before, describe, it } from "node:test";
import { MeterUsageService, Period } from "../../gen/meterusage/v1/meterusage_pb.js";
import { FailureThrottle } from "../src/access/failure-throttle.js";
import { secretHash } from "../src/access/tokens-file.js";
import { TokensPolicy } from "../src/access/tokens-policy.js";
import { refusal } from "./support/refusal.js";
import { startTestServer, type TestServer } from "./support/test-server.js";
import { everyTransport } from "./support/transports.js";

const token = "tariffs-token";
const writer = { authorization: `Bearer ${token}` };
const at = (text: string) => timestampFromMs(Date.parse(text));

/** A meter in Europe/London with a reading of 1 every hour of the week across 31 March 2019, as usage-wire has. */
async function addLondonMeter(server: TestServer): Promise<void> {
  const readings = [];
  for (let time = Date.UTC(2019, 2, 25); time < Date.UTC(2019, 3, 1); time += 3_600_000) readings.push({ time, value: 1 });
  await server.store.appendReadings([{ meter: "london", readings }, { meter: "london-2", readings }]);
  await server.store.setMeterSettings("london", { timeZone: "Europe/London", unit: "kWh" });
}

/** 20p a kWh, 7p from 00:30 to 04:30, and 50p a day standing, from the start of 2019. */
const nightTariff = {
  name: "night",
  currency: "GBP",
  timeZone: "Europe/London",
  versions: [
    {
      validFrom: at("2019-01-01T00:00:00Z"),
      standingChargePerDay: 0.5,
      rates: [
        { price: 0.07, windowStart: "00:30", windowEnd: "04:30" },
        { price: 0.2 },
      ],
    },
  ],
};

const near = (actual: number | undefined, expected: number) => assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);

describe("tariffs over the wire", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ingestToken: token });
    await addLondonMeter(server);
  });
  after(() => server.close());

  for (const [name, makeTransport] of everyTransport) {
    it(`stores a tariff, lists it, prices a meter's days with it and names it on the meter, over ${name}`, async () => {
      const client = createClient(MeterUsageService, makeTransport(server.baseUrl));
      const stored = await client.putTariff({ tariff: { ...nightTariff, currency: "gbp" } }, { headers: writer });
      assert.equal(stored.tariff?.currency, "GBP");
      assert.deepEqual(stored.tariff?.versions[0].rates.map((rate) => [rate.price, rate.windowStart, rate.windowEnd]), [[0.07, "00:30", "04:30"], [0.2, "", ""]]);
      const { tariffs } = await client.listTariffs({});
      assert.deepEqual(tariffs.map((tariff) => [tariff.name, tariff.timeZone]), [["night", "Europe/London"]]);
      await server.store.tariffs.setMeterTariff("london", "night");
      const meters = await client.listMeters({});
      assert.deepEqual(meters.meters.filter((meter) => meter.name.startsWith("london")).map((meter) => [meter.name, meter.tariff]), [["london", "night"], ["london-2", ""]]);

      const usage = await client.getUsage({ meters: ["london", "london-2"], start: at("2019-03-30T00:00:00Z"), end: at("2019-03-31T23:00:00Z"), period: Period.DAY });
      const [london, other] = usage.meters;
      assert.deepEqual([london.currency, other.currency, usage.currency], ["GBP", "", ""]);
      const [saturday, sunday] = london.periods;
      // Saturday: 4 readings at 00:30-04:30 (01:00 to 04:00) at 7p, 20 at 20p; Sunday has 23 hours, 02:00 skipped.
      near(saturday.energyCost, 4 * 0.07 + 20 * 0.2);
      near(saturday.standingCharge, 0.5);
      near(saturday.cost, 4 * 0.07 + 20 * 0.2 + 0.5);
      near(sunday.energyCost, 3 * 0.07 + 20 * 0.2);
      assert.equal(timestampDate(sunday.end!).toISOString(), "2019-03-31T23:00:00.000Z");
      assert.equal(Number(saturday.unpricedCount), 0);
      assert.equal(other.periods[0].cost, undefined);
      assert.equal(usage.total[0].cost, undefined);
      await server.store.tariffs.setMeterTariff("london", "");
    });
  }

  it("PutPrices stores a streamed price series in one call, which a dynamic version prices readings by", async () => {
    const client = createClient(MeterUsageService, everyTransport[0][1](server.baseUrl));
    await client.putTariff({ tariff: { name: "agile", currency: "GBP", timeZone: "Europe/London", versions: [{ validFrom: at("2019-01-01T00:00:00Z"), dynamic: true }] } }, { headers: writer });
    async function* batches() {
      for (let day = 0; day < 7; day++) {
        const prices = [];
        for (let half = 0; half < 48; half++) {
          const start = Date.UTC(2019, 2, 25 + day) + half * 1_800_000;
          // The first hour of the 27th has no price; the 28th's prices are negative.
          if (day === 2 && half < 2) continue;
          prices.push({ start: timestampFromMs(start), end: timestampFromMs(start + 1_800_000), price: day === 3 ? -0.05 : 0.1 });
        }
        yield { tariff: "agile", prices };
      }
    }
    const { stored } = await client.putPrices(batches(), { headers: writer });
    assert.equal(stored, 7n * 48n - 2n);
    await server.store.tariffs.setMeterTariff("london-2", "agile");
    const usage = await client.getUsage({ meters: ["london-2"], start: at("2019-03-27T00:00:00Z"), end: at("2019-03-29T00:00:00Z"), period: Period.DAY, timeZone: "UTC" });
    const [wednesday, thursday] = usage.meters[0].periods;
    near(wednesday.energyCost, 23 * 0.1);
    assert.equal(Number(wednesday.unpricedCount), 1);
    near(thursday.energyCost, 24 * -0.05);
    await server.store.tariffs.setMeterTariff("london-2", "");
  });

  it("refuses a tariff that cannot be stored as InvalidArgument naming the field", async () => {
    const client = createClient(MeterUsageService, everyTransport[3][1](server.baseUrl));
    const version = nightTariff.versions[0];
    const cases: [object, RegExp][] = [
      [{ ...nightTariff, timeZone: "Europe/Lundon" }, /^tariff\.time_zone: "Europe\/Lundon" is not an IANA time zone/],
      [{ ...nightTariff, currency: "GBX" }, /^tariff\.currency: "GBX" is not an ISO 4217 currency code/],
      [{ ...nightTariff, name: "no spaces" }, /^tariff\.name: "no spaces" is not a tariff name/],
      [{ ...nightTariff, versions: [{ ...version, rates: [{ price: 1, windowStart: "7:00" }] }] }, /^tariff\.versions\[0\]\.rates\[0\]\.window_start: "7:00" is not a local time HH:MM/],
      [{ ...nightTariff, versions: [{ ...version, rates: [{ price: 1, windowStart: "24:00" }] }] }, /^tariff\.versions\[0\]\.rates\[0\]\.window_start: "24:00"/],
      [{ ...nightTariff, versions: [{ ...version, rates: [{ price: 1, windowEnd: "24:01" }] }] }, /^tariff\.versions\[0\]\.rates\[0\]\.window_end: "24:01"/],
      [{ ...nightTariff, versions: [{ ...version, rates: [{ price: 1, days: ["mon", "funday"] }] }] }, /^tariff\.versions\[0\]\.rates\[0\]\.days\[1\]: "funday" is not a day/],
      [{ ...nightTariff, versions: [version, { ...version, standingChargePerDay: 1 }] }, /^tariff\.versions\[1\]\.valid_from: is the same as versions\[0\]'s/],
      [{ ...nightTariff, versions: [{ ...version, validFrom: undefined }] }, /^tariff\.versions\[0\]\.valid_from: is needed/],
    ];
    for (const [tariff, message] of cases) {
      const error = await refusal(client.putTariff({ tariff }, { headers: writer }));
      assert.equal(error.code, Code.InvalidArgument, error.rawMessage);
      assert.match(error.rawMessage, message);
    }
    const unknown = await refusal(client.putPrices((async function* () { yield { tariff: "nobody", prices: [{ start: at("2019-01-01T00:00:00Z"), end: at("2019-01-01T00:30:00Z"), price: 1 }] }; })(), { headers: writer }));
    assert.deepEqual([unknown.code, unknown.rawMessage], [Code.NotFound, 'there is no tariff "nobody"']);
    const backwards = await refusal(client.putPrices((async function* () { yield { tariff: "night", prices: [{ start: at("2019-01-01T00:30:00Z"), end: at("2019-01-01T00:00:00Z"), price: 1 }] }; })(), { headers: writer }));
    assert.deepEqual([backwards.code, backwards.rawMessage], [Code.InvalidArgument, "prices[0].end: is not after the start"]);
    const anonymous = await refusal(client.putTariff({ tariff: nightTariff }));
    assert.equal(anonymous.code, Code.Unauthenticated);
    assert.deepEqual((await client.listTariffs({})).tariffs.map(({ name }) => name), ["agile", "night"]);
  });

  describe("the JSON routes", () => {
    const put = (path: string, body: unknown, headers: Record<string, string> = writer) =>
      fetch(`${server.baseUrl}${path}`, { method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });

    it("PUT /api/tariffs/NAME stores the tariff of its body, GET /api/tariffs lists it, and /api/usage prices by it", async () => {
      const octopus = {
        currency: "GBP",
        timeZone: "Europe/London",
        versions: [{ validFrom: "2019-01-01T00:00:00Z", standingChargePerDay: 0.4, rates: [{ price: 0.09, windowStart: "00:30", windowEnd: "04:30" }, { price: 0.25 }] }],
      };
      const response = await put("/api/tariffs/octopus-go", octopus);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), {
        name: "octopus-go",
        currency: "GBP",
        timeZone: "Europe/London",
        versions: [
          {
            validFrom: "2019-01-01T00:00:00Z",
            standingChargePerDay: 0.4,
            rates: [{ price: 0.09, windowStart: "00:30", windowEnd: "04:30", days: [] }, { price: 0.25, windowStart: "", windowEnd: "", days: [] }],
            dynamic: false,
          },
        ],
      });
      const listed = await (await fetch(`${server.baseUrl}/api/tariffs`)).json();
      assert.ok(listed.tariffs.some((tariff: { name: string }) => tariff.name === "octopus-go"));
      await server.store.tariffs.setMeterTariff("london", "octopus-go");
      const meters = await (await fetch(`${server.baseUrl}/api/meters`)).json();
      assert.equal(meters.meters.find((meter: { name: string }) => meter.name === "london").tariff, "octopus-go");

      const usage = await (await fetch(`${server.baseUrl}/api/usage?meter=london&period=day&start=2019-03-30&end=2019-03-31`)).json();
      assert.equal(usage.currency, "GBP");
      assert.equal(usage.meters[0].currency, "GBP");
      const [saturday] = usage.meters[0].periods;
      near(saturday.energyCost, 4 * 0.09 + 20 * 0.25);
      near(saturday.standingCharge, 0.4);
      near(saturday.cost, 4 * 0.09 + 20 * 0.25 + 0.4);
      assert.equal(saturday.unpricedCount, 0);

      const csv = await (await fetch(`${server.baseUrl}/api/usage?meter=london&meter=london-2&period=day&start=2019-03-30&end=2019-03-31&format=csv`)).text();
      const [header, row] = csv.trim().split("\n");
      assert.equal(header, "start,end,london,london:cost,london-2");
      const cells = row.split(",");
      assert.equal(cells[2], "24");
      near(Number(cells[3]), 4 * 0.09 + 20 * 0.25 + 0.4);
      assert.equal(cells[4], "24");
      await server.store.tariffs.setMeterTariff("london", "");
    });

    it("POST /api/tariffs/NAME/prices stores prices from CSV or JSON, a price put twice for one start replacing the first", async () => {
      const post = (body: string, type: string) =>
        fetch(`${server.baseUrl}/api/tariffs/agile/prices`, { method: "POST", body, headers: { "content-type": type, ...writer } });
      const csv = await post("start,end,price\n2020-01-01T00:00:00Z,2020-01-01T00:30:00Z,0.1\n2020-01-01T00:30:00Z,2020-01-01T01:00:00Z,-0.02\n", "text/csv");
      assert.deepEqual([csv.status, await csv.json()], [200, { stored: 2 }]);
      const json = await post(JSON.stringify({ prices: [{ start: "2020-01-01T00:00:00Z", end: "2020-01-01T00:30:00Z", price: 0.3 }] }), "application/json");
      assert.deepEqual([json.status, await json.json()], [200, { stored: 1 }]);
      const stored = await server.store.tariffs.prices("agile", { start: Date.UTC(2020, 0, 1), end: Date.UTC(2020, 0, 2) });
      assert.deepEqual(stored.map(({ price }) => price), [0.3, -0.02]);
      const bad = await post("start,end,price\n2020-01-02T00:00:00Z,2020-01-02T00:30:00Z,0.1\n2020-01-02T00:30:00Z,soon,0.1\n", "text/csv");
      assert.equal(bad.status, 400);
      assert.match((await bad.json()).error, /^line 3: the end "soon" is not a time/);
      const after = await server.store.tariffs.prices("agile", { start: Date.UTC(2020, 0, 2), end: Date.UTC(2020, 0, 3) });
      assert.deepEqual(after.map(({ start }) => new Date(start).toISOString()), ["2020-01-01T00:30:00.000Z"], "only the price before the day, which could reach into it");
    });

    it("refuses a body naming another tariff than its path, a bad field, an unknown tariff and a caller without the right", async () => {
      const other = await put("/api/tariffs/night", { ...nightTariff, versions: [], name: "day" });
      assert.equal(other.status, 400);
      assert.match((await other.json()).error, /^name: the body names the tariff "day", the path "night"/);
      const badDay = await put("/api/tariffs/night", { currency: "GBP", timeZone: "UTC", versions: [{ validFrom: "2019-01-01T00:00:00Z", rates: [{ price: 1, days: ["Mo"] }] }] });
      assert.equal(badDay.status, 400);
      assert.match((await badDay.json()).error, /^versions\[0\]\.rates\[0\]\.days\[0\]: "Mo" is not a day/);
      const unknown = await fetch(`${server.baseUrl}/api/tariffs/nobody/prices`, { method: "POST", body: "start,end,price\n", headers: { "content-type": "text/csv", ...writer } });
      assert.deepEqual([unknown.status, (await unknown.json()).error], [404, 'there is no tariff "nobody"']);
      const anonymous = await put("/api/tariffs/night", { currency: "GBP", timeZone: "UTC" }, {});
      assert.equal(anonymous.status, 401);
    });
  });
});

describe("tariffs with a tokens file", () => {
  let server: TestServer;
  const tokens = { keeper: "keeper-secret", reader: "reader-secret" };
  before(async () => {
    const policy = new TokensPolicy(
      [
        { name: "keeper", sha256: secretHash(tokens.keeper), read: ["*"], ingest: [], metrics: false, tariffs: true },
        { name: "reader", sha256: secretHash(tokens.reader), read: ["*"], ingest: ["*"], metrics: true },
      ],
      new FailureThrottle({ maxFailures: 1_000_000, windowMs: 60_000 }),
    );
    server = await startTestServer({ access: policy });
  });
  after(() => server.close());

  it("lets only a token with \"tariffs\": true write tariffs, and any token read them", async () => {
    const client = createClient(MeterUsageService, everyTransport[0][1](server.baseUrl));
    const as = (name: keyof typeof tokens) => ({ headers: { authorization: `Bearer ${tokens[name]}` } });
    const missing = await refusal(client.putTariff({ tariff: nightTariff }));
    assert.equal(missing.code, Code.Unauthenticated);
    const denied = await refusal(client.putTariff({ tariff: nightTariff }, as("reader")));
    assert.deepEqual([denied.code, denied.rawMessage], [Code.PermissionDenied, 'the token "reader" may not write tariffs (its entry needs "tariffs": true)']);
    await client.putTariff({ tariff: nightTariff }, as("keeper"));
    assert.deepEqual((await client.listTariffs({}, as("reader"))).tariffs.map(({ name }) => name), ["night"]);
    assert.equal((await refusal(client.listTariffs({}))).code, Code.Unauthenticated);

    const put = (headers: Record<string, string>) =>
      fetch(`${server.baseUrl}/api/tariffs/night`, { method: "PUT", body: "{}", headers: { "content-type": "application/json", ...headers } });
    assert.equal((await put({})).status, 401);
    assert.equal((await put({ authorization: `Bearer ${tokens.reader}` })).status, 403);
    assert.equal((await fetch(`${server.baseUrl}/api/tariffs`)).status, 401);
    assert.equal((await fetch(`${server.baseUrl}/api/tariffs`, { headers: { authorization: `Bearer ${tokens.reader}` } })).status, 200);
  });
});

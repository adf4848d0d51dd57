import assert from "node:assert/strict";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { after, before, describe, it } from "node:test";
import { MeterUsageService, Period } from "../../gen/meterusage/v1/meterusage_pb.js";
import { postCsv, startTestServer, type TestServer } from "./support/test-server.js";
import { everyTransport } from "./support/transports.js";

const token = "usage-token";

/** A meter in Europe/London with one reading of 1 every hour of the week across 31 March 2019, and a second meter of 2s. */
async function addLondonMeters(server: TestServer): Promise<void> {
  const lines = ["meter,time,value"];
  for (let time = Date.UTC(2019, 2, 25); time < Date.UTC(2019, 3, 1); time += 3_600_000) {
    lines.push(`london,${new Date(time).toISOString()},1`, `london-2,${new Date(time).toISOString()},2`);
  }
  const response = await postCsv(server, `${lines.join("\n")}\n`, token);
  assert.equal(response.status, 200);
  await server.store.setMeterSettings("london", { timeZone: "Europe/London", unit: "kWh" });
}

describe("GetUsage and /api/usage over the wire", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ingestToken: token });
    await addLondonMeters(server);
  });
  after(() => server.close());

  for (const [name, makeTransport] of everyTransport) {
    it(`answers usage by day in the meter's zone, with its 23-hour day, over ${name}`, async () => {
      const client = createClient(MeterUsageService, makeTransport(server.baseUrl));
      const usage = await client.getUsage({
        meters: ["london", "london-2"],
        start: timestampFromMs(Date.UTC(2019, 2, 25)),
        end: timestampFromMs(Date.UTC(2019, 2, 31, 23)),
        period: Period.DAY,
      });
      assert.equal(usage.timeZone, "Europe/London");
      assert.deepEqual(usage.meters.map((meter) => [meter.meter, meter.unit]), [["london", "kWh"], ["london-2", ""]]);
      const days = usage.meters[0].periods;
      assert.deepEqual(days.map((day) => Number(day.count)), [24, 24, 24, 24, 24, 24, 23]);
      assert.equal(timestampDate(days[6].start!).toISOString(), "2019-03-31T00:00:00.000Z");
      assert.equal(timestampDate(days[6].end!).toISOString(), "2019-03-31T23:00:00.000Z");
      assert.deepEqual(usage.total.map((day) => day.sum), [72, 72, 72, 72, 72, 72, 69]);
      assert.equal(usage.total[0].mean, 1.5);
    });
  }

  it("answers with the default meter when none is named, and refuses what cannot be answered", async () => {
    const client = createClient(MeterUsageService, everyTransport[0][1](server.baseUrl));
    const january = await client.getUsage({ period: Period.MONTH });
    assert.equal(january.meters[0].meter, "meterusage");
    assert.equal(Number(january.meters[0].periods[0].count) + Number(january.meters[0].periods[0].missingCount), 2975);
    const refusals: [object, Code, RegExp][] = [
      [{}, Code.InvalidArgument, /^period must be one of PERIOD_HOUR/],
      [{ period: Period.DAY, timeZone: "Europe/Lundon" }, Code.InvalidArgument, /the time zone "Europe\/Lundon" is not an IANA time zone/],
      [{ period: Period.DAY, meters: ["nobody"] }, Code.NotFound, /there is no meter "nobody"/],
      [{ period: Period.DAY, meters: ["meterusage", "nobody", "noone"] }, Code.NotFound, /there is no meter "nobody"/],
      [{ period: Period.DAY, meters: ["meterusage", "flat 1"] }, Code.InvalidArgument, /^meters\[1\]/],
      [{ period: Period.HOUR, start: timestampFromMs(0), end: timestampFromMs(Date.UTC(2019, 0, 1)) }, Code.InvalidArgument, /more than the 100,000 one request may list/],
      [{ period: Period.DAY, start: timestampFromMs(2), end: timestampFromMs(1) }, Code.InvalidArgument, /start .* is after end/],
    ];
    for (const [request, code, message] of refusals) {
      const error = await client.getUsage(request).catch((failure: unknown) => ConnectError.from(failure));
      assert.ok(error instanceof ConnectError, `${message} was answered`);
      assert.equal(error.code, code, error.rawMessage);
      assert.match(error.rawMessage, message);
    }
  });

  it("GET /api/usage answers in proto JSON names with counts as numbers, bare dates being local midnights", async () => {
    const response = await fetch(`${server.baseUrl}/api/usage?meter=london&period=day&tz=Europe/London&start=2019-03-30&end=2019-04-01`);
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.deepEqual(body, {
      timeZone: "Europe/London",
      currency: "",
      meters: [
        {
          meter: "london",
          unit: "kWh",
          currency: "",
          periods: [
            { start: "2019-03-30T00:00:00Z", end: "2019-03-31T00:00:00Z", count: 24, missingCount: 0, sum: 24, min: 1, max: 1, mean: 1 },
            { start: "2019-03-31T00:00:00Z", end: "2019-03-31T23:00:00Z", count: 23, missingCount: 0, sum: 23, min: 1, max: 1, mean: 1 },
          ],
        },
      ],
    });
    const week = await (await fetch(`${server.baseUrl}/api/usage?meter=london&meter=london-2&period=week&start=2019-03-25&end=2019-04-01`)).json();
    assert.equal(week.total.length, 1);
    assert.equal(week.total[0].sum, 167 * 3);
    assert.equal(week.total[0].count, 334);
  });

  it("GET /api/usage?format=csv gives one row a period with each meter's sum", async () => {
    const response = await fetch(`${server.baseUrl}/api/usage?meter=london&meter=london-2&period=day&start=2019-03-30&end=2019-04-01&format=csv`);
    assert.equal(response.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(await response.text(), "start,end,london,london-2\n2019-03-30T00:00:00Z,2019-03-31T00:00:00Z,24,48\n2019-03-31T00:00:00Z,2019-03-31T23:00:00Z,23,46\n");
  });

  it("GET /api/usage refuses a bad period, zone, date or meter with 400 or 404 naming the parameter", async () => {
    const cases: [string, number, RegExp][] = [
      ["period=fortnight", 400, /the period "fortnight" is not one of hour, day, week, month, quarter, year/],
      ["", 400, /the `period` parameter is needed/],
      ["period=day&tz=Mars/Olympus", 400, /the time zone "Mars\/Olympus" is not an IANA time zone/],
      ["period=day&start=2019-02-30", 400, /the `start` parameter "2019-02-30" is not a time or a date/],
      ["period=day&meter=nobody", 404, /there is no meter "nobody"/],
      ["period=day&meter=meterusage&meter=nobody&meter=noone", 404, /there is no meter "nobody"/],
      ["period=hour&start=1990-01-01&end=2019-01-01", 400, /more than the 100,000 one request may list/],
    ];
    for (const [query, status, message] of cases) {
      const response = await fetch(`${server.baseUrl}/api/usage?${query}`);
      assert.equal(response.status, status, query);
      assert.match((await response.json()).error, message, query);
    }
  });

  it("GET /api/usage reads an address naming a thousand meters, past Node's 16 KB default", async () => {
    const meters = Array.from({ length: 1000 }, (_, i) => `meter=substation-7-feeder-${String(i).padStart(4, "0")}`);
    const query = `period=month&start=2019-03-01&end=2019-04-01&${meters.join("&")}`;
    assert.ok(query.length > 16 * 1024, `${query.length} characters`);
    const response = await fetch(`${server.baseUrl}/api/usage?${query}`);
    assert.equal(response.status, 404);
    assert.match((await response.json()).error, /there is no meter "substation-7-feeder-\d{4}"/);
  });
});

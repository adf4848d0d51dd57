import assert from "node:assert/strict";
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { after, before, describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { collectStream } from "./support/collect-stream.js";
import { referenceData } from "./support/reference-data.js";
import { postCsv, startTestServer, type TestServer } from "./support/test-server.js";
import { everyTransport } from "./support/transports.js";

const token = "meters-token";
const at = (text: string) => Date.parse(text);

/** Three more meters beside the bundled one, written through the JSON route as a client would. */
async function addMeters(server: TestServer): Promise<void> {
  const body = "meter,time,value\nflat-1,2019-01-01 00:15:00,1\nflat-1,2019-01-01 00:30:00,NaN\nflat-2,2019-01-01 00:15:00,2\nmain:total,2019-01-02 00:00:00,30\n";
  const response = await postCsv(server, body, token);
  assert.deepEqual(await response.json(), { stored: 4, alreadyStored: 0 });
}

async function getJson(server: TestServer, path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.baseUrl}${path}`);
  return { status: response.status, body: await response.json() };
}

describe("meters over the wire", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ingestToken: token });
    await addMeters(server);
  });
  after(() => server.close());

  for (const [name, makeTransport] of everyTransport) {
    describe(name, () => {
      let client: Client<typeof MeterUsageService>;
      before(() => (client = createClient(MeterUsageService, makeTransport(server.baseUrl))));

      it("lists every meter by name with its figures, and names the default meter", async () => {
        const { meters, defaultMeter } = await client.listMeters({});
        assert.equal(defaultMeter, "meterusage");
        assert.deepEqual(
          meters.map((meter) => [meter.name, meter.count, timestampDate(meter.firstTime!).toISOString(), timestampDate(meter.lastTime!).toISOString(), meter.timeZone]),
          [
            ["flat-1", 2n, "2019-01-01T00:15:00.000Z", "2019-01-01T00:30:00.000Z", "UTC"],
            ["flat-2", 1n, "2019-01-01T00:15:00.000Z", "2019-01-01T00:15:00.000Z", "UTC"],
            ["main:total", 1n, "2019-01-02T00:00:00.000Z", "2019-01-02T00:00:00.000Z", "UTC"],
            ["meterusage", BigInt(referenceData.count), "2019-01-01T00:15:00.000Z", "2019-01-31T23:45:00.000Z", "UTC"],
          ],
        );
      });

      it("reads one meter when asked, and the default meter when no meter is named", async () => {
        const { readings } = await collectStream(client.streamReadings({ meter: "flat-1" }));
        assert.deepEqual(readings, [
          { time: at("2019-01-01T00:15:00Z"), value: 1 },
          { time: at("2019-01-01T00:30:00Z"), value: null },
        ]);
        assert.equal((await client.getSummary({ meter: "flat-2" })).sum, 2);
        assert.equal((await client.getSummary({})).count, BigInt(referenceData.count));
        let buckets = 0;
        for await (const message of client.streamReadings({ meter: "meterusage", maxPoints: 10 })) buckets += message.buckets.length;
        assert.ok(buckets > 0 && buckets <= 10, `${buckets} buckets`);
      });

      it("answers an unknown meter with NotFound and a bad name with InvalidArgument, naming the meter", async () => {
        const unknown = await client.getSummary({ meter: "flat-9" }).catch((error: unknown) => ConnectError.from(error));
        assert.equal((unknown as ConnectError).code, Code.NotFound);
        assert.equal((unknown as ConnectError).rawMessage, 'there is no meter "flat-9"');
        const stream = await collectStream(client.streamReadings({ meter: "flat-9" })).catch((error: unknown) => ConnectError.from(error));
        assert.equal((stream as ConnectError).code, Code.NotFound);
        const invalid = await client.getSummary({ meter: "flat/1" }).catch((error: unknown) => ConnectError.from(error));
        assert.equal((invalid as ConnectError).code, Code.InvalidArgument);
        assert.match((invalid as ConnectError).rawMessage, /"flat\/1" is not a meter name: use 1 to 128 letters, digits or \._:-/);
      });
    });
  }

  it("appends to the meter a call names, creating it, and to the default meter when it names none", async () => {
    const client = createClient(MeterUsageService, everyTransport[0][1](server.baseUrl));
    const headers = { authorization: `Bearer ${token}` };
    async function* messages() {
      yield { meter: "rpc-new", readings: [{ time: timestampFromMs(at("2020-01-01T00:00:00Z")), value: 5 }] };
      yield { readings: [{ time: timestampFromMs(at("2020-01-01T00:00:00Z")), value: 6 }] };
    }
    assert.deepEqual(await client.appendReadings(messages(), { headers }), { $typeName: "meterusage.v1.AppendReadingsResponse", stored: 2n, alreadyStored: 0n });
    assert.equal((await client.getSummary({ meter: "rpc-new" })).sum, 5);
    assert.equal((await client.getSummary({ start: timestampFromMs(at("2020-01-01T00:00:00Z")) })).sum, 6);
  });

  it("follows one meter, hearing nothing of another", async () => {
    const client = createClient(MeterUsageService, everyTransport[0][1](server.baseUrl));
    const start = at("2021-01-01T00:00:00Z");
    const post = (meter: string, value: number) =>
      fetch(`${server.baseUrl}/api/readings?meter=${meter}`, {
        method: "POST",
        body: JSON.stringify({ readings: [{ time: new Date(start + value * 900_000).toISOString(), value }] }),
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      });
    assert.equal((await post("followed", 0)).status, 200);
    const abort = new AbortController();
    const stream = client.streamReadings({ meter: "followed", start: timestampFromMs(start), follow: true }, { signal: abort.signal })[Symbol.asyncIterator]();
    const stored = await stream.next();
    assert.deepEqual(stored.value!.readings.map((reading: { value?: number }) => reading.value), [0]);
    const next = stream.next();
    assert.equal((await post("unfollowed", 1)).status, 200);
    assert.equal((await post("followed", 2)).status, 200);
    const { value } = await next;
    assert.deepEqual(value!.readings.map((reading: { value?: number }) => reading.value), [2]);
    abort.abort();
  });

  describe("the JSON routes", () => {
    it("GET /api/meters lists the meters with counts as numbers and times in RFC 3339, and names the default meter", async () => {
      const { status, body } = await getJson(server, "/api/meters");
      assert.equal(status, 200);
      assert.equal(body.defaultMeter, "meterusage");
      assert.deepEqual(body.meters.find((meter: { name: string }) => meter.name === "flat-1"), {
        name: "flat-1",
        count: 2,
        firstTime: "2019-01-01T00:15:00Z",
        lastTime: "2019-01-01T00:30:00Z",
        unit: "",
        timeZone: "UTC",
        tariff: "",
      });
    });

    it("reads one meter with ?meter=, as JSON, CSV and buckets, on both routes", async () => {
      assert.deepEqual((await getJson(server, "/api/readings?meter=flat-1")).body, {
        readings: [
          { time: "2019-01-01T00:15:00Z", value: 1 },
          { time: "2019-01-01T00:30:00Z", value: null },
        ],
      });
      assert.deepEqual((await getJson(server, "/usage/data?meter=flat-2")).body, { readings: [{ time: "2019-01-01T00:15:00Z", value: 2 }] });
      const csv = await fetch(`${server.baseUrl}/api/readings?meter=flat-1&format=csv`);
      assert.equal(await csv.text(), "time,flat-1\n2019-01-01T00:15:00Z,1\n2019-01-01T00:30:00Z,NaN\n");
      assert.match(csv.headers.get("content-disposition")!, /filename="flat-1_first_last\.csv"/);
      const buckets = (await getJson(server, "/api/readings?meter=meterusage&max_points=5")).body.buckets;
      assert.ok(buckets.length > 0 && buckets.length <= 5);
      assert.equal((await getJson(server, "/api/readings?start=2019-01-01T00:15:00Z&end=2019-01-01T00:30:00Z")).body.readings[0].value, referenceData.first.value);
    });

    it("answers 404 for an unknown meter and 400 for a bad name, naming it", async () => {
      assert.deepEqual(await getJson(server, "/api/readings?meter=nobody"), { status: 404, body: { error: 'there is no meter "nobody"' } });
      const bad = await getJson(server, `/api/readings?meter=${"x".repeat(129)}`);
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /^the `meter` parameter "x{129}" is not a meter name/);
      const post = await fetch(`${server.baseUrl}/api/readings?meter=a%20b`, {
        method: "POST",
        body: '{"readings":[]}',
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      });
      assert.equal(post.status, 400);
    });

    it("stores a JSON body under the meter it names", async () => {
      const response = await fetch(`${server.baseUrl}/api/readings`, {
        method: "POST",
        body: JSON.stringify({ meter: "json-new", readings: [{ time: "2019-03-01T00:00:00Z", value: 1 }] }),
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      });
      assert.equal(response.status, 200);
      assert.equal((await getJson(server, "/api/readings?meter=json-new")).body.readings.length, 1);
    });
  });
});

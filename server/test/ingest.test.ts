import assert from "node:assert/strict";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { after, before, describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { maxRequestBytes } from "../src/ingest/ingest-limits.js";
import { refusal } from "./support/refusal.js";
import { referenceData } from "./support/reference-data.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const token = "s3cret-token";
const at = (text: string) => timestampFromMs(Date.parse(text));

/** A client stream of the given messages, as connect's client-streaming calls take one. */
async function* stream<T>(...messages: T[]): AsyncIterable<T> {
  yield* messages;
}

function withToken(value: string) {
  return { headers: { authorization: `Bearer ${value}` } };
}

describe("ingest", () => {
  let server: TestServer;
  let client: Client<typeof MeterUsageService>;
  before(async () => {
    server = await startTestServer({ ingestToken: token });
    client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl }));
  });
  after(() => server.close());

  const post = (body: string, type: string, authorization = `Bearer ${token}`) =>
    fetch(`${server.baseUrl}/api/readings`, { method: "POST", body, headers: { "content-type": type, authorization } });

  describe("AppendReadings", () => {
    it("stores new readings, counting those already stored with the same value", async () => {
      const readings = [
        { time: at("2019-02-01T00:00:00Z"), value: 1.5 },
        { time: at("2019-02-01T00:15:00Z") },
      ];
      const first = await client.appendReadings(stream({ readings }), withToken(token));
      assert.deepEqual([first.stored, first.alreadyStored], [2n, 0n]);
      const retry = await client.appendReadings(stream({ readings }), withToken(token));
      assert.deepEqual([retry.stored, retry.alreadyStored], [0n, 2n]);
      assert.equal(await server.store.count(), referenceData.count + 2);
    });

    it("stores all the call's messages in one transaction", async () => {
      const before = await server.store.count();
      const error = await refusal(
        client.appendReadings(
          stream(
            { readings: [{ time: at("2019-03-01T00:00:00Z"), value: 1 }] },
            { readings: [{ time: at(referenceData.first.time), value: 99 }] },
          ),
          withToken(token),
        ),
      );
      assert.equal(error.code, Code.AlreadyExists);
      assert.equal(error.rawMessage, "a reading of meter meterusage for 2019-01-01T00:15:00Z is already stored with the value 55.09; it cannot become 99");
      assert.equal(await server.store.count(), before);
    });

    it("refuses a reading without a time or with a value that is not finite", async () => {
      const noTime = await refusal(client.appendReadings(stream({ readings: [{ value: 1 }] }), withToken(token)));
      assert.equal(noTime.code, Code.InvalidArgument);
      assert.equal(noTime.rawMessage, "readings[0] has no time");
      const infinite = await refusal(
        client.appendReadings(stream({ readings: [{ time: at("2019-03-01T00:00:00Z"), value: Infinity }] }), withToken(token)),
      );
      assert.equal(infinite.code, Code.InvalidArgument);
      assert.match(infinite.rawMessage, /^readings\[0\]\.value Infinity is not a finite number/);
    });

    it("refuses a missing or wrong token with Unauthenticated, storing nothing", async () => {
      const before = await server.store.count();
      const readings = [{ time: at("2019-04-01T00:00:00Z"), value: 1 }];
      assert.equal((await refusal(client.appendReadings(stream({ readings })))).code, Code.Unauthenticated);
      assert.equal((await refusal(client.appendReadings(stream({ readings }), withToken("guess")))).code, Code.Unauthenticated);
      assert.equal(await server.store.count(), before);
    });
  });

  describe("POST /api/readings", () => {
    it("stores a CSV body with the import's rules, and a retry stores nothing twice", async () => {
      const csv = "time,meterusage\n2019-05-01 00:00:00,3.5\n2019-05-01 00:15:00,NaN\n";
      const first = await post(csv, "text/csv");
      assert.equal(first.status, 200);
      assert.deepEqual(await first.json(), { stored: 2, alreadyStored: 0 });
      assert.deepEqual(await (await post(csv, "text/csv; charset=utf-8")).json(), { stored: 0, alreadyStored: 2 });
    });

    it("stores a JSON body", async () => {
      const body = JSON.stringify({ readings: [{ time: "2019-06-01T00:00:00Z", value: 4 }, { time: "2019-06-01T00:15:00Z", value: null }] });
      const response = await post(body, "application/json");
      assert.deepEqual([response.status, await response.json()], [200, { stored: 2, alreadyStored: 0 }]);
    });

    it("refuses every bad request with the right status and a message, storing nothing", async () => {
      const before = await server.store.count();
      const cases: [Promise<Response>, number, RegExp][] = [
        [post("time,meterusage\n2019-07-01 00:00:00,1\n2019-07-01 00:15:00,x\n", "text/csv"), 400, /^line 3: the value "x" of meter meterusage is not a number/],
        [post("time,meterusage\n2019-07-01 00:00:00,1\n2019-07-01 00:00:00,1\n", "text/csv"), 400, /^line 3: a reading of meter meterusage for 2019-07-01T00:00:00Z appears twice: first on line 2/],
        [post(`time,meterusage\n2019-07-01 00:00:00,1\n${referenceData.first.time},1\n`, "text/csv"), 409, /^a reading of meter meterusage for 2019-01-01T00:15:00Z is already stored with the value 55\.09/],
        [post('{"readings":[{"time":"soon","value":1}]}', "application/json"), 400, /^readings\[0\]\.time "soon" is not a time/],
        [post('{"readings":[{"time":"2019-07-01T00:00:00Z","value":"1"}]}', "application/json"), 400, /^readings\[0\]\.value "1" is not a number or null/],
        [post("{", "application/json"), 400, /^the body is not JSON/],
        [post("time,meterusage\n", "text/plain"), 415, /^send the readings as text\/csv or application\/json/],
        [post("x".repeat(maxRequestBytes + 1), "text/csv"), 413, /^the body is larger than/],
        [post("time,meterusage\n2019-07-01 00:00:00,1\n", "text/csv", "Bearer nope"), 401, /^ingest needs Authorization: Bearer/],
        [post("time,meterusage\n2019-07-01 00:00:00,1\n", "text/csv", ""), 401, /^ingest needs Authorization: Bearer/],
      ];
      for (const [response, status, message] of cases) {
        const answered = await response;
        const body = (await answered.json()) as { error: string };
        assert.equal(answered.status, status, body.error);
        assert.match(body.error, message);
      }
      assert.equal(await server.store.count(), before);
    });
  });
});

describe("ingest on a service started without a token", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it("is off, and says how to turn it on", async () => {
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const error = await refusal(client.appendReadings(stream({ readings: [{ time: at("2019-02-01T00:00:00Z"), value: 1 }] }), withToken("any")));
    assert.equal(error.code, Code.PermissionDenied);
    assert.match(error.rawMessage, /^ingest is off: start the service with --ingest-token TOKEN/);
    const response = await fetch(`${server.baseUrl}/api/readings`, {
      method: "POST",
      body: "time,meterusage\n2019-02-01 00:00:00,1\n",
      headers: { "content-type": "text/csv", authorization: "Bearer any" },
    });
    assert.equal(response.status, 403);
    assert.match(((await response.json()) as { error: string }).error, /^ingest is off/);
    assert.equal(await server.store.count(), referenceData.count);
  });
});

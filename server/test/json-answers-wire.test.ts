import assert from "node:assert/strict";
import { create, fromBinary, toBinary, toJsonString } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { after, before, describe, it } from "node:test";
import {
  GetUsageRequestSchema,
  GetUsageResponseSchema,
  ListMetersRequestSchema,
  ListMetersResponseSchema,
  Period,
} from "../../gen/meterusage/v1/meterusage_pb.js";
import { postCsv, startTestServer, type TestServer } from "./support/test-server.js";

const token = "json-answers-token";

/** Two meters' quarter-hours over a clock change, one in London with gaps and a missing value, one in Kolkata. */
async function addMeters(server: TestServer): Promise<void> {
  const lines = ["meter,time,value"];
  for (let time = Date.UTC(2019, 2, 29); time < Date.UTC(2019, 3, 2); time += 900_000) {
    const quarter = (time / 900_000) % 97;
    if (quarter !== 5) lines.push(`london,${new Date(time).toISOString()},${quarter === 7 ? "NaN" : (quarter * 1.37).toFixed(2)}`);
    lines.push(`kolkata,${new Date(time).toISOString()},${(quarter / 3).toFixed(3)}`);
  }
  const response = await postCsv(server, `${lines.join("\n")}\n`, token);
  assert.equal(response.status, 200);
  await server.store.setMeterSettings("london", { timeZone: "Europe/London", unit: "kWh" });
  await server.store.setMeterSettings("kolkata", { timeZone: "Asia/Kolkata" });
}

/** The answer's body over Connect, as binary and as JSON. */
async function connectBodies(server: TestServer, method: string, request: Uint8Array, json: string): Promise<{ binary: Uint8Array; json: string }> {
  const post = async (contentType: string, body: Uint8Array<ArrayBuffer> | string) => {
    const response = await fetch(`${server.baseUrl}/meterusage.v1.MeterUsageService/${method}`, { method: "POST", headers: { "content-type": contentType }, body });
    assert.equal(response.status, 200, await response.clone().text());
    return response;
  };
  return {
    binary: new Uint8Array(await (await post("application/proto", new Uint8Array(request))).arrayBuffer()),
    json: await (await post("application/json", json)).text(),
  };
}

describe("JSON answers written as text over the wire", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ ingestToken: token });
    await addMeters(server);
  });
  after(() => server.close());

  for (const [period, zone] of [[Period.HOUR, "Asia/Kolkata"], [Period.DAY, "Europe/London"], [Period.MONTH, "Europe/London"]] as const) {
    it(`GetUsage by ${Period[period].toLowerCase()} in ${zone} over Connect JSON is the text protobuf-es writes for the binary answer`, async () => {
      const request = create(GetUsageRequestSchema, {
        meters: ["london", "kolkata"],
        start: timestampFromMs(Date.UTC(2019, 2, 29, 7, 30)),
        end: timestampFromMs(Date.UTC(2019, 3, 2)),
        period,
        timeZone: zone,
      });
      const bodies = await connectBodies(server, "GetUsage", toBinary(GetUsageRequestSchema, request), toJsonString(GetUsageRequestSchema, request));
      const answer = fromBinary(GetUsageResponseSchema, bodies.binary);
      assert.equal(answer.meters.length, 2);
      assert.ok(answer.total.length > 0);
      assert.equal(bodies.json, toJsonString(GetUsageResponseSchema, answer));
    });
  }

  it("ListMeters over Connect JSON is the text protobuf-es writes for the binary answer", async () => {
    const request = create(ListMetersRequestSchema);
    const bodies = await connectBodies(server, "ListMeters", toBinary(ListMetersRequestSchema, request), "{}");
    const answer = fromBinary(ListMetersResponseSchema, bodies.binary);
    assert.deepEqual(answer.meters.map(({ name }) => name).sort(), ["kolkata", "london", "meterusage"]);
    assert.equal(bodies.json, toJsonString(ListMetersResponseSchema, answer));
  });

  it("answers of other RPCs over Connect JSON stay as protobuf-es writes them", async () => {
    const response = await fetch(`${server.baseUrl}/meterusage.v1.MeterUsageService/GetSummary`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ meter: "london" }),
    });
    const text = await response.text();
    assert.match(text, /^\{"count":"\d+","missingCount":"\d+","firstTime":"2019-03-29T00:00:00Z",/);
  });
});

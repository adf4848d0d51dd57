import assert from "node:assert/strict";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { after, before, describe, it } from "node:test";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

describe("health", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  const client = () => createClient(Health, createGrpcTransport({ baseUrl: server.baseUrl }));

  it("answers SERVING for the server and for MeterUsageService", async () => {
    assert.equal((await client().check({})).status, ServingStatus.SERVING);
    assert.equal((await client().check({ service: "meterusage.v1.MeterUsageService" })).status, ServingStatus.SERVING);
  });

  it("answers NOT_FOUND for a service it does not serve", async () => {
    await assert.rejects(client().check({ service: "other.Service" }), (error: unknown) => {
      assert.equal(ConnectError.from(error).code, Code.NotFound);
      return true;
    });
  });

  it("answers GET /healthz with 200 while serving", async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: "SERVING" });
  });

  it("tells watchers NOT_SERVING when the service shuts down", async () => {
    const watch = client().watch({})[Symbol.asyncIterator]();
    assert.equal((await watch.next()).value?.status, ServingStatus.SERVING);
    const shutdown = server.app.shutdown(1000);
    assert.equal((await watch.next()).value?.status, ServingStatus.NOT_SERVING);
    await shutdown;
  });
});

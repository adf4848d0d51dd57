import assert from "node:assert/strict";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../gen/grpc/health/v1/health_pb.js";
import { ServerReflection } from "../../gen/grpc/reflection/v1/reflection_pb.js";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { FailureThrottle } from "../src/access/failure-throttle.js";
import { missingTokenMessage, TokensPolicy, unknownTokenMessage } from "../src/access/tokens-policy.js";
import { collectStream } from "./support/collect-stream.js";
import { loadClientConstructor } from "./support/grpc-js-client.js";
import { refusal } from "./support/refusal.js";
import { startTestServer, type TestServer } from "./support/test-server.js";
import { bearer, testTokenEntries, testTokens, type TestTokenName } from "./support/test-tokens.js";
import { everyTransport } from "./support/transports.js";

const at = (text: string) => timestampFromMs(Date.parse(text));
/** The seeded readings of flat-1 and flat-2; the ingest tests add theirs later in time. */
const seeded = { end: at("2019-01-02T00:00:00Z") };
/** This suite's wrong tokens must not lock its own address out; the throttle has a suite of its own below. */
const lenientThrottle = new FailureThrottle({ maxFailures: 1_000_000, windowMs: 60_000 });

/** Waits until the server has logged an entry that matches. */
async function loggedOnce(server: TestServer, matches: (entry: Record<string, unknown>) => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!server.logEntries.some(matches)) {
    if (Date.now() > deadline) assert.fail("timed out waiting for a log line");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function* messages<T>(...items: T[]): AsyncIterable<T> {
  yield* items;
}

async function startTokensServer(throttle: FailureThrottle): Promise<TestServer> {
  const server = await startTestServer({ access: new TokensPolicy(testTokenEntries(), throttle) });
  await server.store.appendReadings([
    { meter: "flat-1", readings: [{ time: Date.parse("2019-01-01T00:15:00Z"), value: 1 }] },
    { meter: "flat-2", readings: [{ time: Date.parse("2019-01-01T00:15:00Z"), value: 2 }] },
  ]);
  return server;
}

describe("tokens over the wire", () => {
  let server: TestServer;
  before(async () => (server = await startTokensServer(lenientThrottle)));
  after(() => server.close());

  for (const [transportName, makeTransport] of everyTransport) {
    describe(transportName, () => {
      let client: Client<typeof MeterUsageService>;
      before(() => (client = createClient(MeterUsageService, makeTransport(server.baseUrl))));
      const as = (name: TestTokenName) => ({ headers: bearer(name) });

      it("refuses a call without a token, or with an unknown one, as Unauthenticated", async () => {
        const missing = await refusal(client.getSummary({ meter: "flat-1" }));
        assert.deepEqual([missing.code, missing.rawMessage], [Code.Unauthenticated, missingTokenMessage]);
        const unknown = await refusal(client.listMeters({}, { headers: { authorization: "Bearer guessed" } }));
        assert.deepEqual([unknown.code, unknown.rawMessage], [Code.Unauthenticated, unknownTokenMessage]);
        const stream = await refusal(collectStream(client.streamReadings({ meter: "flat-1" })));
        assert.equal(stream.code, Code.Unauthenticated);
      });

      it("lets a read-only token read its meters only, and ingest nowhere, naming the meter", async () => {
        assert.equal((await client.getSummary({ meter: "flat-2", ...seeded }, as("reader"))).sum, 2);
        assert.deepEqual((await collectStream(client.streamReadings({ meter: "flat-1", ...seeded }, as("reader")))).readings, [
          { time: Date.parse("2019-01-01T00:15:00Z"), value: 1 },
        ]);
        const listed = await client.listMeters({}, as("reader"));
        assert.deepEqual(listed.meters.map((meter) => meter.name), ["flat-1", "flat-2"]);
        // The service's default meter is not the token's to read, so a request naming none reads its first.
        assert.equal(listed.defaultMeter, "flat-1");
        const other = await refusal(client.getSummary({ meter: "meterusage" }, as("reader")));
        assert.deepEqual([other.code, other.rawMessage], [Code.PermissionDenied, 'the token "reader" may not read the meter "meterusage"']);
        const otherStream = await refusal(collectStream(client.streamReadings({ meter: "meterusage" }, as("reader"))));
        assert.equal(otherStream.code, Code.PermissionDenied);
        const ingest = await refusal(client.appendReadings(messages({ meter: "flat-1", readings: [{ time: at("2020-01-01T00:00:00Z"), value: 1 }] }), as("reader")));
        assert.deepEqual([ingest.code, ingest.rawMessage], [Code.PermissionDenied, 'the token "reader" may not ingest to the meter "flat-1"']);
      });

      it("reads the token's first readable meter when the call names none and the default meter is not readable", async () => {
        assert.equal((await client.getSummary(seeded, as("reader"))).sum, 1);
        assert.equal((await client.getSummary(seeded, as("foreign"))).sum, 2);
        assert.equal((await client.getSummary(seeded, as("everything"))).count, 95n);
      });

      it("lets an ingest token store readings in its meter only", async () => {
        const readings = [{ time: at("2020-01-01T00:00:00Z"), value: 7 }];
        const stored = await client.appendReadings(messages({ meter: "flat-1", readings }), as("ingester"));
        assert.equal(stored.stored + stored.alreadyStored, 1n);
        const other = await refusal(client.appendReadings(messages({ meter: "flat-2", readings }), as("ingester")));
        assert.deepEqual([other.code, other.rawMessage], [Code.PermissionDenied, 'the token "ingester" may not ingest to the meter "flat-2"']);
        const unnamed = await refusal(client.appendReadings(messages({ readings }), as("ingester")));
        assert.equal(unnamed.rawMessage, 'the token "ingester" may not ingest to the meter "meterusage"');
      });

      it("logs an AppendReadings as one ingest line with the token's name and meters, before the call's request line", async () => {
        // A call's lines are written once its answer is done, so before a later call is served.
        const afterAnswer = () => client.listMeters({}, as("ingester"));
        await afterAnswer();
        server.logEntries.length = 0;
        await client.appendReadings(messages({ meter: "flat-1", readings: [{ time: at("2020-02-01T00:00:00Z"), value: 8 }] }), as("ingester"));
        await afterAnswer();
        const appendLines = server.logEntries.filter((entry) => entry.msg === "ingest" || entry.procedure === "/meterusage.v1.MeterUsageService/AppendReadings");
        assert.deepEqual(
          appendLines.map(({ msg, token, meters, code }) => ({ msg, token, meters, code })),
          [
            { msg: "ingest", token: "ingester", meters: ["flat-1"], code: undefined },
            { msg: "request", token: undefined, meters: undefined, code: "ok" },
          ],
        );
        assert.equal(Number(appendLines[0].stored) + Number(appendLines[0].alreadyStored), 1);
      });

      it("lets a * token read and ingest every meter, and a foreign token none of another's", async () => {
        const stored = await client.appendReadings(messages({ meter: "new-meter", readings: [{ time: at("2020-01-01T00:00:00Z"), value: 1 }] }), as("everything"));
        assert.equal(stored.stored + stored.alreadyStored, 1n);
        assert.deepEqual((await client.listMeters({}, as("everything"))).meters.map((meter) => meter.name), ["flat-1", "flat-2", "meterusage", "new-meter"]);
        assert.deepEqual((await client.listMeters({}, as("foreign"))).meters.map((meter) => meter.name), ["flat-2"]);
        const foreign = await refusal(client.getSummary({ meter: "flat-1" }, as("foreign")));
        assert.deepEqual([foreign.code, foreign.rawMessage], [Code.PermissionDenied, 'the token "foreign" may not read the meter "flat-1"']);
      });
    });
  }

  it("leaves the health service and reflection open", async () => {
    const health = createClient(Health, createGrpcTransport({ baseUrl: server.baseUrl }));
    assert.equal((await health.check({ service: MeterUsageService.typeName })).status, ServingStatus.SERVING);
    const reflection = createClient(ServerReflection, createGrpcTransport({ baseUrl: server.baseUrl }));
    const services: string[] = [];
    for await (const answer of reflection.serverReflectionInfo(messages({ messageRequest: { case: "listServices" as const, value: "" } }))) {
      if (answer.messageResponse.case === "listServicesResponse") services.push(...answer.messageResponse.value.service.map((service) => service.name));
    }
    assert.ok(services.includes(MeterUsageService.typeName), services.join(", "));
  });

  it("takes the token from a @grpc/grpc-js client's metadata", async () => {
    const Constructor = loadClientConstructor();
    const client = new Constructor(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as grpc.Client & Record<string, Function>;
    const call = <T>(request: object, metadata: grpc.Metadata) =>
      new Promise<T>((resolve, reject) =>
        client.getSummary(request, metadata, (error: grpc.ServiceError | null, response: T) => (error ? reject(error) : resolve(response))),
      );
    try {
      const metadata = new grpc.Metadata();
      metadata.set("authorization", bearer("reader").authorization);
      assert.equal((await call<{ sum: number }>({ meter: "flat-2" }, metadata)).sum, 2);
      const missing = await call({}, new grpc.Metadata()).catch((error: grpc.ServiceError) => error);
      assert.equal((missing as grpc.ServiceError).code, grpc.status.UNAUTHENTICATED);
      const denied = await call({ meter: "meterusage" }, metadata).catch((error: grpc.ServiceError) => error);
      assert.equal((denied as grpc.ServiceError).code, grpc.status.PERMISSION_DENIED);
    } finally {
      client.close();
    }
  });

  describe("the HTTP routes", () => {
    const get = (path: string, name?: TestTokenName | "unknown") =>
      fetch(`${server.baseUrl}${path}`, {
        headers: name === undefined ? {} : name === "unknown" ? { authorization: "Bearer guessed" } : bearer(name),
      });
    const post = (path: string, body: string, type: string, name: TestTokenName) =>
      fetch(`${server.baseUrl}${path}`, { method: "POST", body, headers: { "content-type": type, ...bearer(name) } });
    const answer = async (response: Response) => [response.status, await response.json()];

    it("answers 401 with WWW-Authenticate to a request without a token or with an unknown one", async () => {
      for (const path of ["/api/readings?meter=flat-1", "/api/readings?meter=flat-1&format=csv", "/usage/data", "/api/meters", "/api/whoami", "/metrics"]) {
        const missing = await get(path);
        assert.deepEqual(await answer(missing), [401, { error: missingTokenMessage }], path);
        assert.equal(missing.headers.get("www-authenticate"), "Bearer");
        assert.deepEqual(await answer(await get(path, "unknown")), [401, { error: unknownTokenMessage }], path);
      }
      assert.equal((await post("/api/readings?meter=flat-1", "time,value\n", "text/csv", "reader")).status, 403);
      const anonymousPost = await fetch(`${server.baseUrl}/api/readings`, { method: "POST", body: "time,value\n", headers: { "content-type": "text/csv" } });
      assert.equal(anonymousPost.status, 401);
    });

    it("serves a read-only token its meters as JSON and CSV, and refuses the others and ingest, naming the meter", async () => {
      assert.deepEqual(await answer(await get("/api/readings?meter=flat-2", "reader")), [200, { readings: [{ time: "2019-01-01T00:15:00Z", value: 2 }] }]);
      const csv = await get("/api/readings?meter=flat-1&format=csv&end=2019-01-02", "reader");
      assert.equal(await csv.text(), "time,flat-1\n2019-01-01T00:15:00Z,1\n");
      assert.deepEqual(await answer(await get("/api/readings?meter=meterusage&format=csv", "reader")), [
        403,
        { error: 'the token "reader" may not read the meter "meterusage"' },
      ]);
      const meters = (await (await get("/api/meters", "reader")).json()) as { meters: { name: string }[]; defaultMeter: string };
      assert.deepEqual(meters.meters.map((meter) => meter.name), ["flat-1", "flat-2"]);
      assert.equal(meters.defaultMeter, "flat-1");
      assert.deepEqual(await answer(await post("/api/readings?meter=flat-1", "time,value\n2020-01-01 00:00:00,1\n", "text/csv", "reader")), [
        403,
        { error: 'the token "reader" may not ingest to the meter "flat-1"' },
      ]);
    });

    it("reads the first readable meter when the request names none", async () => {
      assert.deepEqual(await answer(await get("/api/readings?end=2019-01-02", "reader")), [200, { readings: [{ time: "2019-01-01T00:15:00Z", value: 1 }] }]);
      assert.deepEqual(await answer(await get("/usage/data?end=2019-01-02", "foreign")), [200, { readings: [{ time: "2019-01-01T00:15:00Z", value: 2 }] }]);
    });

    it("stores what an ingest token may store, and refuses a CSV column of another meter, storing nothing", async () => {
      const stored = await post("/api/readings", JSON.stringify({ meter: "flat-1", readings: [{ time: "2021-01-01T00:00:00Z", value: 3 }] }), "application/json", "ingester");
      assert.deepEqual(await answer(stored), [200, { stored: 1, alreadyStored: 0 }]);
      const before = await server.store.count();
      const mixed = await post("/api/readings", "time,flat-1,flat-2\n2021-02-01 00:00:00,1,2\n", "text/csv", "ingester");
      assert.deepEqual(await answer(mixed), [403, { error: 'the token "ingester" may not ingest to the meter "flat-2"' }]);
      assert.equal(await server.store.count(), before);
      const star = await post("/api/readings?meter=star-meter", "time,value\n2021-01-01 00:00:00,1\n", "text/csv", "everything");
      assert.deepEqual(await answer(star), [200, { stored: 1, alreadyStored: 0 }]);
    });

    it("logs every ingest with the token's name, the meters and the count stored, and never a secret or hash", async () => {
      server.logEntries.length = 0;
      await post("/api/readings?meter=flat-1", "time,value\n2022-01-01 00:00:00,1\n2022-01-01 00:15:00,2\n", "text/csv", "ingester");
      // A request's lines are written once its answer is done, its ingest line first, which may be after the client has the answer.
      await loggedOnce(server, (entry) => entry.msg === "request" && entry.procedure === "POST /api/readings");
      const ingests = server.logEntries.filter((entry) => entry.msg === "ingest");
      assert.deepEqual(
        ingests.map(({ token, meters, stored }) => ({ token, meters, stored })),
        [{ token: "ingester", meters: ["flat-1"], stored: 2 }],
      );
      const logged = JSON.stringify(server.logEntries);
      for (const entry of testTokenEntries()) assert.ok(!logged.includes(entry.sha256), "a hash was logged");
      for (const { secret } of Object.values(testTokens)) assert.ok(!logged.includes(secret), "a secret was logged");
    });

    it("answers /api/whoami with the token's name", async () => {
      assert.deepEqual(await answer(await get("/api/whoami", "foreign")), [200, { name: "foreign" }]);
    });

    it("serves /metrics only to a token with metrics", async () => {
      assert.deepEqual(await answer(await get("/metrics", "reader")), [403, { error: 'the token "reader" may not read the metrics' }]);
      const metrics = await get("/metrics", "everything");
      assert.equal(metrics.status, 200);
      assert.match(await metrics.text(), /meterusage_requests_total/);
    });

    it("leaves /healthz and the page's files open", async () => {
      assert.deepEqual(await answer(await get("/healthz")), [200, { status: "SERVING" }]);
      const page = await get("/");
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    });
  });
});

describe("throttling unknown tokens", () => {
  let server: TestServer;
  before(async () => (server = await startTokensServer(new FailureThrottle())));
  after(() => server.close());

  it("refuses an address after 10 unknown tokens in a minute with 429 and ResourceExhausted, while another address still gets in", async () => {
    for (let failure = 0; failure < 10; failure++) {
      const response = await fetch(`${server.baseUrl}/api/meters`, { headers: { authorization: `Bearer guess-${failure}` } });
      assert.equal(response.status, 401);
    }
    const throttled = await fetch(`${server.baseUrl}/api/meters`, { headers: bearer("reader") });
    assert.equal(throttled.status, 429);
    const retryAfter = Number(throttled.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    assert.match(((await throttled.json()) as { error: string }).error, /^too many unknown tokens from this address: try again in \d+ s$/);

    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl }));
    const rpc = await refusal(client.listMeters({}, { headers: bearer("reader") }));
    assert.equal(rpc.code, Code.ResourceExhausted);
    assert.match(rpc.rawMessage, /try again in \d+ s$/);

    const fromElsewhere = await getFrom("127.0.0.2", server.port, "/api/whoami", bearer("reader"));
    assert.deepEqual(fromElsewhere, { status: 200, body: '{"name":"reader"}' });
  });
});

/** A GET from another local address: fetch cannot choose the address it connects from. */
function getFrom(localAddress: string, port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path, headers, localAddress }, (response) => {
      let body = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
    })
      .on("error", reject)
      .end();
  });
}

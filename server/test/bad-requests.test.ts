import assert from "node:assert/strict";
import http2 from "node:http2";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "./support/test-server.js";

const firstBytesTimeoutMs = 300;

/** Sends raw bytes on a fresh connection and collects what comes back until the server closes it. */
function rawExchange(port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<{ reply: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, "127.0.0.1", () => {
      if (bytes.length > 0) socket.write(bytes);
    });
    let reply = "";
    socket.setEncoding("latin1").on("data", (chunk: string) => (reply += chunk));
    socket.on("error", () => {});
    socket.on("close", () => resolve({ reply, closedAfterMs: Date.now() - started }));
    setTimeout(() => reject(new Error(`the server kept the connection open; it said ${JSON.stringify(reply)}`)), timeoutMs).unref();
  });
}

/** A gRPC call over HTTP/2 with a hand-made body, answering the status, trailers and body. */
function grpcCall(baseUrl: string, path: string, body: Buffer, contentType = "application/grpc") {
  return new Promise<{ status: number; headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const session = http2.connect(baseUrl);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, "content-type": contentType, te: "trailers" });
    let headers: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    let text = "";
    stream.on("response", (h) => (headers = h));
    stream.on("trailers", (t) => (trailers = t));
    stream.setEncoding("latin1").on("data", (chunk: string) => (text += chunk));
    stream.on("end", () => {
      session.close();
      resolve({ status: Number(headers[":status"]), headers, trailers, body: text });
    });
    stream.on("error", reject);
    stream.end(body);
  });
}

const envelope = (declaredLength: number, payload: Buffer = Buffer.alloc(0)) => {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([prefix, payload]);
};

describe("bad requests on every surface", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({
      limits: { firstBytesTimeoutMs, headersTimeoutMs: 1000, idleTimeoutMs: 60_000 },
    });
  });
  after(async () => {
    const response = await fetch(`${server.baseUrl}/api/readings?start=2019-01-02&end=2019-01-03`);
    assert.equal(response.status, 200, "the service still serves after every bad request");
    assert.deepEqual(server.loggedErrors, []);
    await server.close();
  });

  it("closes a connection that sends nothing", async () => {
    const { reply, closedAfterMs } = await rawExchange(server.port, "");
    assert.equal(reply, "");
    assert.ok(closedAfterMs >= firstBytesTimeoutMs - 50 && closedAfterMs < firstBytesTimeoutMs + 2000, `closed after ${closedAfterMs} ms`);
  });

  it("answers HTTP/1.1 garbage with 400 and closes", async () => {
    const { reply } = await rawExchange(server.port, "HELLO THERE\r\n\r\n");
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request/);
  });

  it("answers an HTTP/1.1 request whose headers never end with 408 once the headers timeout passes", async () => {
    const { reply, closedAfterMs } = await rawExchange(server.port, "GET /api/meters HTTP/1.1\r\nHost: meterusage\r\nX-Slow: ", 5000);
    assert.match(reply, /^HTTP\/1\.1 408 Request Timeout/);
    assert.ok(closedAfterMs >= 1000 && closedAfterMs < 3500, `closed after ${closedAfterMs} ms`);
  });

  it("closes an HTTP/2 connection with garbage after the preface", async () => {
    const { reply } = await rawExchange(server.port, Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), Buffer.from("garbage garbage garbage")]));
    assert.ok(reply.length < 200, "at most a SETTINGS and a GOAWAY frame come back");
  });

  it("answers a gRPC message with a truncated length prefix with a gRPC error", async () => {
    const { status, trailers, headers } = await grpcCall(server.baseUrl, "/meterusage.v1.MeterUsageService/GetSummary", Buffer.from([0, 0, 0]));
    assert.equal(status, 200);
    const grpcStatus = trailers["grpc-status"] ?? headers["grpc-status"];
    assert.ok(grpcStatus !== undefined && grpcStatus !== "0", `grpc-status ${grpcStatus}`);
    assert.doesNotMatch(String(trailers["grpc-message"] ?? headers["grpc-message"]), /at .*\.js|node:internal/);
  });

  it("refuses a gRPC message that declares more bytes than the limit", async () => {
    const { trailers, headers } = await grpcCall(server.baseUrl, "/meterusage.v1.MeterUsageService/GetSummary", envelope(1024 * 1024 * 1024));
    assert.equal(trailers["grpc-status"] ?? headers["grpc-status"], "8", "RESOURCE_EXHAUSTED");
    assert.match(decodeURIComponent(String(trailers["grpc-message"] ?? headers["grpc-message"])), /message size .* is larger than configured readMaxBytes/);
  });

  it("answers an RPC in a content type it does not speak with 415", async () => {
    const response = await fetch(`${server.baseUrl}/meterusage.v1.MeterUsageService/GetSummary`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "{}",
    });
    assert.equal(response.status, 415);
  });

  it("refuses unknown fields and impossible timestamps in Connect JSON with InvalidArgument", async () => {
    for (const body of ['{"start":"2019-01-01T00:00:00Z","colour":"red"}', '{"start":"the day after"}', "{not json"]) {
      const response = await fetch(`${server.baseUrl}/meterusage.v1.MeterUsageService/GetSummary`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      assert.equal(response.status, 400, body);
      const answer = (await response.json()) as { code: string; message: string };
      assert.equal(answer.code, "invalid_argument", body);
      assert.doesNotMatch(answer.message, /at .*\.js|node:internal/);
    }
  });
});

describe("headers of the page and CORS", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer({ corsOrigins: ["https://dashboard.example"] })));
  after(() => server.close());

  it("serves the page with a content security policy, nosniff and a cache policy", async () => {
    const page = await fetch(`${server.baseUrl}/`);
    assert.match(page.headers.get("content-security-policy")!, /default-src 'self'/);
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    assert.equal(page.headers.get("cache-control"), "no-cache");
  });

  it("answers a preflight from an allowed origin with the Connect and gRPC-Web headers", async () => {
    const response = await fetch(`${server.baseUrl}/meterusage.v1.MeterUsageService/StreamReadings`, {
      method: "OPTIONS",
      headers: { origin: "https://dashboard.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-grpc-web" },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get("access-control-allow-origin"), "https://dashboard.example");
    assert.match(response.headers.get("access-control-allow-headers")!, /X-Grpc-Web/i);
    assert.match(response.headers.get("access-control-allow-methods")!, /POST/);
  });

  it("exposes the gRPC status headers to an allowed origin, and nothing to others", async () => {
    const allowed = await fetch(`${server.baseUrl}/api/readings?start=2019-01-02&end=2019-01-02`, { headers: { origin: "https://dashboard.example" } });
    assert.equal(allowed.headers.get("access-control-allow-origin"), "https://dashboard.example");
    assert.match(allowed.headers.get("access-control-expose-headers")!, /Grpc-Status/i);
    const other = await fetch(`${server.baseUrl}/api/readings?start=2019-01-02&end=2019-01-02`, { headers: { origin: "https://evil.example" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
  });
});

import assert from "node:assert/strict";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { once } from "node:events";
import { rmSync } from "node:fs";
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import net from "node:net";
import { join } from "node:path";
import tls from "node:tls";
import { after, before, describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { readTlsCredentials } from "../src/listener/tls-credentials.js";
import { packageRoot } from "../src/package-paths.js";
import { collectStream } from "./support/collect-stream.js";
import { referenceData } from "./support/reference-data.js";
import { TestCertificateAuthority } from "./support/test-certificates.js";
import { startTestServer, temporaryFolder, type TestServer } from "./support/test-server.js";
import { everyTransport } from "./support/transports.js";

const token = "tls-token";
const firstBytesTimeoutMs = 1000;

/** A GET over HTTPS/1.1 trusting `ca`, answering the status, headers and body. */
async function httpsGet(url: string, ca: string) {
  const request = https.get(url, { ca });
  const [response] = (await once(request, "response")) as [http.IncomingMessage];
  let body = "";
  for await (const chunk of response.setEncoding("utf8")) body += chunk;
  return { status: response.statusCode, headers: response.headers, body };
}

/** A TLS handshake to the port, answering what was negotiated or why it failed. */
function handshake(port: number, options: tls.ConnectionOptions) {
  return new Promise<{ alpn?: string | false | null; version?: string | null; error?: Error }>((resolve) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ...options }, () => {
      resolve({ alpn: socket.alpnProtocol, version: socket.getProtocol() });
      socket.destroy();
    });
    socket.on("error", (error) => resolve({ error }));
  });
}

/** Sends raw bytes on a fresh connection; answers what came back and when the server closed it. */
function rawExchange(port: number, bytes: Buffer | string) {
  return new Promise<{ reply: string; closedAfterMs: number }>((resolve, reject) => {
    const started = performance.now();
    const socket = net.connect(port, "127.0.0.1", () => socket.write(bytes));
    let reply = "";
    socket.setEncoding("latin1").on("data", (chunk: string) => (reply += chunk));
    socket.on("error", () => {});
    socket.on("close", () => resolve({ reply, closedAfterMs: performance.now() - started }));
    setTimeout(() => reject(new Error(`the server kept the connection open; it said ${JSON.stringify(reply)}`)), 5000).unref();
  });
}

describe("TLS on the one port", () => {
  let folder: string;
  let ca: string;
  let server: TestServer;
  before(async () => {
    folder = temporaryFolder();
    const authority = new TestCertificateAuthority(folder);
    ca = authority.ca;
    const tlsFiles = authority.issue("server", "1001");
    server = await startTestServer({
      tls: await readTlsCredentials(tlsFiles),
      ingestToken: token,
      follow: { heartbeatMs: 50, maxQueued: 1000 },
      limits: { firstBytesTimeoutMs, headersTimeoutMs: 5000, idleTimeoutMs: 60_000 },
    });
  });
  after(async () => {
    assert.deepEqual(server.loggedErrors, []);
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  for (const [name, makeTransport] of everyTransport) {
    it(`streams and summarizes every reading with ${name}`, async () => {
      const client = createClient(MeterUsageService, makeTransport(server.baseUrl, ca));
      const { readings } = await collectStream(client.streamReadings({}));
      assert.equal(readings.length, referenceData.count);
      const summary = await client.getSummary({});
      assert.equal(summary.count, BigInt(referenceData.count));
    });
  }

  it("counts each protocol in the metrics as over cleartext", async () => {
    const { body } = await httpsGet(`${server.baseUrl}/metrics`, ca);
    for (const protocol of ["grpc", "grpc-web", "connect"]) {
      assert.match(body, new RegExp(`meterusage_requests_total\\{protocol="${protocol}",procedure="/meterusage.v1.MeterUsageService/GetSummary",code="ok"\\}`));
    }
  });

  it("serves a @grpc/grpc-js client that trusts the CA", async () => {
    const definition = protoLoader.loadSync(join(packageRoot, "proto/meterusage/v1/meterusage.proto"), {
      includeDirs: [join(packageRoot, "proto")],
    });
    const loaded = grpc.loadPackageDefinition(definition) as unknown as {
      meterusage: { v1: { MeterUsageService: grpc.ServiceClientConstructor } };
    };
    const client = new loaded.meterusage.v1.MeterUsageService(`localhost:${server.port}`, grpc.credentials.createSsl(Buffer.from(ca)));
    try {
      let count = 0;
      const call = client.streamReadings({}) as grpc.ClientReadableStream<{ readings: unknown[] }>;
      for await (const response of call) count += response.readings.length;
      assert.equal(count, referenceData.count);
    } finally {
      client.close();
    }
  });

  it("answers the JSON route, the CSV download and the page over HTTPS/1.1", async () => {
    const json = await httpsGet(`${server.baseUrl}/api/readings?start=2019-01-02&end=2019-01-03`, ca);
    assert.equal(json.status, 200);
    assert.equal((JSON.parse(json.body) as { readings: unknown[] }).readings.length, 96);
    const csv = await httpsGet(`${server.baseUrl}/api/readings?format=csv&start=2019-01-02&end=2019-01-03`, ca);
    assert.equal(csv.body.trim().split("\n").length, 97);
    const page = await httpsGet(`${server.baseUrl}/`, ca);
    assert.match(String(page.headers["content-type"]), /^text\/html/);
  });

  it("answers the JSON route over HTTP/2 with TLS", async () => {
    const session = http2.connect(server.baseUrl, { ca });
    try {
      const stream = session.request({ ":path": "/api/readings?start=2019-01-02&end=2019-01-03" });
      const [headers] = (await once(stream, "response")) as [http2.IncomingHttpHeaders];
      let body = "";
      for await (const chunk of stream.setEncoding("utf8")) body += chunk;
      assert.equal(headers[":status"], 200);
      assert.equal((JSON.parse(body) as { readings: unknown[] }).readings.length, 96);
    } finally {
      session.close();
    }
  });

  it("sends a follower a reading appended over HTTPS while its stream is open", async () => {
    const client = createClient(MeterUsageService, everyTransport[0][1](server.baseUrl, ca));
    const abort = new AbortController();
    const messages = client.streamReadings({ start: timestampFromMs(Date.UTC(2020, 0, 1)), follow: true }, { signal: abort.signal })[Symbol.asyncIterator]();
    assert.deepEqual((await messages.next()).value?.readings, [], "an empty range sends a heartbeat first");
    const time = "2020-01-01T00:00:00Z";
    const request = https.request(`${server.baseUrl}/api/readings`, {
      method: "POST",
      ca,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    });
    request.end(JSON.stringify({ readings: [{ time, value: 4.5 }] }));
    const [response] = (await once(request, "response")) as [http.IncomingMessage];
    assert.equal(response.statusCode, 200);
    response.resume();
    for (;;) {
      const message = await messages.next();
      assert.ok(!message.done, "the follow stream ended");
      if (message.value.readings.length === 0) continue;
      assert.deepEqual(message.value.readings.map((r) => [timestampMs(r.time!), r.value]), [[Date.parse(time), 4.5]]);
      break;
    }
    abort.abort();
  });

  it("chooses h2 or http/1.1 by ALPN, and TLS 1.2 or newer only", async () => {
    assert.equal((await handshake(server.port, { ca, ALPNProtocols: ["h2", "http/1.1"] })).alpn, "h2");
    assert.equal((await handshake(server.port, { ca, ALPNProtocols: ["http/1.1"] })).alpn, "http/1.1");
    assert.equal((await handshake(server.port, { ca, maxVersion: "TLSv1.2" })).version, "TLSv1.2");
    // The client side is opened down to TLS 1.0, so that only the server can refuse it.
    const old = await handshake(server.port, { ca, minVersion: "TLSv1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" });
    assert.ok(old.error, "a TLS 1.1 handshake succeeded");
  });

  it("answers a cleartext HTTP/1.1 request with 400 saying to use https, then closes", async () => {
    const { reply } = await rawExchange(server.port, `GET /api/readings HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
    assert.match(reply, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(reply, /\r\nConnection: close\r\n/i);
    assert.match(reply, new RegExp(`\r\n\r\nthis port speaks TLS: use https://127\\.0\\.0\\.1:${server.port}/\n$`));
  });

  it("closes a cleartext HTTP/2 connection at once, saying nothing", async () => {
    // No timeout is left to close it later: rawExchange fails unless the server closes it.
    const { reply } = await rawExchange(server.port, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    assert.equal(reply, "");
  });

  it("closes a connection whose handshake stalls after the first byte", async () => {
    const { reply, closedAfterMs } = await rawExchange(server.port, Buffer.from([0x16]));
    assert.equal(reply, "");
    assert.ok(closedAfterMs >= firstBytesTimeoutMs - 50 && closedAfterMs < firstBytesTimeoutMs + 3000, `closed after ${closedAfterMs.toFixed(0)} ms`);
  });
});

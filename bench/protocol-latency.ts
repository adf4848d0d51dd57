import { once } from "node:events";
import http from "node:http";
import http2 from "node:http2";
import { callGrpc } from "./grpc-latency.js";
import { envelope } from "./stream-protocols.js";

/** One question as each protocol asks it: a gRPC method over binary gRPC and Connect JSON, and its JSON route. */
export interface Question {
  /** The gRPC method's path, e.g. /meterusage.v1.MeterUsageService/ListMeters. */
  method: string;
  /** The i-th request message in protobuf bytes, for binary gRPC. */
  binary(i: number): Uint8Array;
  /** The same message in proto JSON, for Connect. */
  json(i: number): string;
  /** The JSON route's path and query asking the same, e.g. /api/meters. */
  route(i: number): string;
}

export const protocols = ["binary gRPC h2c", "Connect JSON HTTP/1.1", "JSON route HTTP/1.1"] as const;
export type Protocol = (typeof protocols)[number];

export interface Answers {
  /** Each timed protocol's milliseconds per whole answer, sorted; every protocol answers the first request. */
  milliseconds: Record<Protocol, number[]>;
  /** Each protocol's answer to the first, uncounted, request: the gRPC message without its envelope, the JSON as text. */
  first: { grpc: Uint8Array; connect: unknown; route: unknown };
}

/**
 * Sequential requests over one warm connection per protocol, taking turns between the
 * protocols, so that the machine's noise falls on each alike; each timed from sending it
 * to the last byte of its answer. Binary gRPC over h2c as grpcurl or a Python client asks;
 * Connect JSON and the JSON route over HTTP/1.1 with keep-alive, as the page's fetch does.
 */
export async function timeOnEveryProtocol(port: number, question: Question, requests: number, warmUps = 10, timed: readonly Protocol[] = protocols): Promise<Answers> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  await once(session, "connect");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) => httpRequest(agent, port, "GET", path);
  const connect = (i: number) => httpRequest(agent, port, "POST", question.method, question.json(i), { "content-type": "application/json" });
  try {
    const first = {
      grpc: await grpcAnswer(session, question.method, envelope(question.binary(0))),
      connect: JSON.parse((await connect(0)).body) as unknown,
      route: JSON.parse((await get(question.route(0))).body) as unknown,
    };
    const calls: Record<Protocol, (i: number) => Promise<unknown>> = {
      "binary gRPC h2c": (i) => callGrpc(session, question.method, envelope(question.binary(i))),
      "Connect JSON HTTP/1.1": connect,
      "JSON route HTTP/1.1": (i) => get(question.route(i)),
    };
    const milliseconds = Object.fromEntries(protocols.map((protocol) => [protocol, [] as number[]])) as Record<Protocol, number[]>;
    for (let i = 1; i <= requests + warmUps; i++) {
      for (const protocol of timed) {
        const sent = performance.now();
        await calls[protocol](i);
        if (i > warmUps) milliseconds[protocol].push(performance.now() - sent);
      }
    }
    for (const list of Object.values(milliseconds)) list.sort((a, b) => a - b);
    return { milliseconds, first };
  } finally {
    session.close();
    agent.destroy();
  }
}

/** One HTTP/1.1 request that must answer 200: its body as text. */
function httpRequest(agent: http.Agent, port: number, method: string, path: string, body?: string, headers: http.OutgoingHttpHeaders = {}): Promise<{ body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request({ agent, host: "127.0.0.1", port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (response.statusCode === 200) resolve({ body: text });
        else reject(new Error(`${method} ${path.slice(0, 200)}: HTTP ${response.statusCode} ${text.slice(0, 300)}`));
      });
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** One unary gRPC call's answer message, without its envelope. */
async function grpcAnswer(session: http2.ClientHttp2Session, path: string, body: Buffer): Promise<Uint8Array> {
  const stream = session.request({ ":method": "POST", ":path": path, "content-type": "application/grpc", te: "trailers" });
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  let status: string | undefined;
  stream.on("trailers", (trailers) => (status = String(trailers["grpc-status"])));
  stream.end(body);
  await once(stream, "end");
  if (status !== "0") throw new Error(`${path}: grpc-status ${status}`);
  const framed = Buffer.concat(chunks);
  return framed.subarray(5, 5 + framed.readUInt32BE(1));
}

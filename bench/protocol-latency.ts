import { once } from "node:events";
import http from "node:http";
import http2 from "node:http2";
import { callGrpc } from "./grpc-latency.js";
import { latencyResult, unrated, type Result } from "./results.js";
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
  /** Each timed protocol's milliseconds per whole answer, sorted. */
  milliseconds: Partial<Record<Protocol, number[]>>;
  /** Each protocol's answer to the first, uncounted, request: the gRPC message without its envelope, the JSON parsed. */
  first: Partial<Record<Protocol, unknown>>;
  /** Why a protocol could not answer the first request; it is then not timed. */
  refused: Partial<Record<Protocol, string>>;
}

/**
 * Sequential requests over one warm connection per protocol, taking turns between the
 * protocols, so that the machine's noise falls on each alike; each timed from sending it
 * to the last byte of its answer. Binary gRPC over h2c as grpcurl or a Python client asks;
 * Connect JSON and the JSON route over HTTP/1.1 with keep-alive, as the page's fetch does.
 * A protocol that refuses the first request (say, a URL too long for the server) is said,
 * not timed.
 */
export async function timeOnEveryProtocol(port: number, question: Question, requests: number, warmUps = 10, timed: readonly Protocol[] = protocols): Promise<Answers> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  await once(session, "connect");
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string) => httpRequest(agent, port, "GET", path);
  const connect = (i: number) => httpRequest(agent, port, "POST", question.method, question.json(i), { "content-type": "application/json" });
  const firstAnswers: Record<Protocol, () => Promise<unknown>> = {
    "binary gRPC h2c": () => grpcAnswer(session, question.method, envelope(question.binary(0))),
    "Connect JSON HTTP/1.1": async () => JSON.parse((await connect(0)).body) as unknown,
    "JSON route HTTP/1.1": async () => JSON.parse((await get(question.route(0))).body) as unknown,
  };
  const calls: Record<Protocol, (i: number) => Promise<unknown>> = {
    "binary gRPC h2c": (i) => callGrpc(session, question.method, envelope(question.binary(i))),
    "Connect JSON HTTP/1.1": connect,
    "JSON route HTTP/1.1": (i) => get(question.route(i)),
  };
  try {
    const answers: Answers = { milliseconds: {}, first: {}, refused: {} };
    for (const protocol of protocols) {
      try {
        answers.first[protocol] = await firstAnswers[protocol]();
      } catch (error) {
        answers.refused[protocol] = (error as Error).message;
      }
    }
    const answering = timed.filter((protocol) => answers.refused[protocol] === undefined);
    for (const protocol of answering) answers.milliseconds[protocol] = [];
    for (let i = 1; i <= requests + warmUps; i++) {
      for (const protocol of answering) {
        const sent = performance.now();
        await calls[protocol](i);
        if (i > warmUps) answers.milliseconds[protocol]!.push(performance.now() - sent);
      }
    }
    for (const list of Object.values(answers.milliseconds)) list.sort((a, b) => a - b);
    return answers;
  } finally {
    session.close();
    agent.destroy();
  }
}

/** A protocol's latencies as a result, or, where it refused, a result saying so. */
export function protocolResult(answers: Answers, protocol: Protocol, size: number, name: string, rowsPerAnswer: number, note: string): Result {
  const refused = answers.refused[protocol];
  if (refused !== undefined) return unrated(size, name, NaN, 0, `refused: ${refused}`);
  const milliseconds = answers.milliseconds[protocol]!;
  return latencyResult(size, name, milliseconds, milliseconds.length * rowsPerAnswer, note);
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
        else reject(new Error(`${method} of ${path.length} characters: HTTP ${response.statusCode} ${response.statusMessage ?? ""} ${text.slice(0, 300)}`.trim()));
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

import { createServer, request as httpRequest, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A proxy in front of the test server that holds back the response of one path until the
 * test releases it, piece by piece: gRPC-Web messages one at a time, other bodies in the
 * chunks the server wrote. The service answers 2,975 readings in a blink; held, a stream
 * stays open for as long as a test needs to watch it arrive or cancel it, with no timing.
 */
export interface HoldingProxy {
  /** Open the page here; everything else passes straight through. */
  origin: string;
  /** Sends the next `count` held pieces, or all of them (and the end) when count is omitted. */
  release(count?: number): Promise<void>;
  /** Settles when the browser closes the held request before its response has ended. */
  clientGone: Promise<void>;
  /** How many held pieces the browser was sent. */
  delivered(): number;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string, heldPath: string): Promise<HoldingProxy> {
  const pieces: Buffer[] = [];
  let delivered = 0;
  let upstreamEnded = false;
  let held: ServerResponse | undefined;
  let wanted = 0;
  let whenHeld: () => void = () => {};
  const heldArrived = new Promise<void>((resolve) => (whenHeld = resolve));
  let whenGone: () => void = () => {};
  const clientGone = new Promise<void>((resolve) => (whenGone = resolve));

  const flush = () => {
    if (held === undefined) return;
    while (delivered < pieces.length && delivered < wanted) held.write(pieces[delivered++]);
    if (upstreamEnded && delivered === pieces.length && wanted >= pieces.length) held.end();
  };

  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    const upstream = httpRequest(
      new URL(request.url ?? "/", target),
      { method: request.method, headers: request.headers },
      (answer) => {
        const headers: IncomingHttpHeaders = { ...answer.headers };
        if (path !== heldPath) {
          response.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(response);
          return;
        }
        // Held bodies are re-chunked, so their length and framing are the proxy's own.
        delete headers["content-length"];
        delete headers["transfer-encoding"];
        response.writeHead(answer.statusCode ?? 502, headers);
        response.flushHeaders();
        held = response;
        response.on("close", () => {
          if (!response.writableFinished) {
            whenGone();
            upstream.destroy();
          }
        });
        const split = isGrpcWeb(headers) ? grpcWebMessages() : (chunk: Buffer) => [chunk];
        answer.on("data", (chunk: Buffer) => {
          pieces.push(...split(chunk));
          flush();
        });
        answer.on("end", () => {
          upstreamEnded = true;
          flush();
        });
        whenHeld();
      },
    );
    upstream.on("error", () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async release(count) {
      await heldArrived;
      wanted = count === undefined ? Number.POSITIVE_INFINITY : wanted + count;
      flush();
    },
    clientGone,
    delivered: () => delivered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function isGrpcWeb(headers: IncomingHttpHeaders): boolean {
  return String(headers["content-type"] ?? "").startsWith("application/grpc-web");
}

/** Splits a gRPC-Web body into its envelopes (1 flag byte, 4 length bytes, the message), across chunk boundaries. */
function grpcWebMessages(): (chunk: Buffer) => Buffer[] {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    const messages: Buffer[] = [];
    while (pending.length >= 5 && pending.length >= 5 + pending.readUInt32BE(1)) {
      const size = 5 + pending.readUInt32BE(1);
      messages.push(pending.subarray(0, size));
      pending = pending.subarray(size);
    }
    return messages;
  };
}

import { once } from "node:events";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { HttpHandler } from "../http/http-types.js";

// What every HTTP/2 client with prior knowledge sends first (RFC 9113, section 3.4).
const http2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

export interface ListenerLimits {
  /** A connection that has not sent its first bytes by then is closed (slowloris). */
  firstBytesTimeoutMs: number;
  /** An HTTP/1.1 request whose headers have not all arrived by then is answered 408. */
  headersTimeoutMs: number;
  /** A connection with no traffic at all for this long is closed; follow streams send heartbeats. */
  idleTimeoutMs: number;
}

export const defaultListenerLimits: ListenerLimits = {
  firstBytesTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  idleTimeoutMs: 120_000,
};

export interface OnePortListener {
  port: number;
  /**
   * Stops accepting connections, lets requests under way finish for up to `graceMs`, then
   * closes whatever is left.
   */
  close(graceMs?: number): Promise<void>;
}

/**
 * Serves HTTP/1.1 and cleartext HTTP/2 on one port. Node has no server that speaks both
 * without TLS, so each connection's first bytes decide: the HTTP/2 preface goes to the
 * HTTP/2 server, anything else to the HTTP/1.1 server; both run the same handler.
 */
export async function listenOnOnePort(
  handler: HttpHandler,
  port: number,
  host?: string,
  limits: ListenerLimits = defaultListenerLimits,
): Promise<OnePortListener> {
  const http1Server = http.createServer({ headersTimeout: limits.headersTimeoutMs, requestTimeout: 0 }, handler);
  http1Server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
  const http2Server = http2.createServer(handler);
  // With no 'timeout' listener, an HTTP/2 session idle this long is destroyed.
  http2Server.setTimeout(limits.idleTimeoutMs);
  const sessions = new Set<http2.ServerHttp2Session>();
  http2Server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    sniff(socket, limits.firstBytesTimeoutMs, (isHttp2) => {
      (isHttp2 ? http2Server : http1Server).emit("connection", socket);
      // The HTTP/2 session drains what was put back itself; the HTTP/1.1 parser waits for 'data'.
      if (!isHttp2) socket.resume();
    });
  });
  server.listen(port, host);
  await once(server, "listening");

  return {
    port: (server.address() as net.AddressInfo).port,
    async close(graceMs = 0) {
      const closed = once(server, "close");
      server.close();
      for (const session of sessions) session.close();
      const deadline = Date.now() + graceMs;
      while (sockets.size > 0 && Date.now() < deadline) {
        http1Server.closeIdleConnections();
        await sleep(25);
      }
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function sniff(socket: net.Socket, timeoutMs: number, handOver: (isHttp2: boolean) => void): void {
  let received = Buffer.alloc(0);
  socket.setTimeout(timeoutMs, () => socket.destroy());
  const onData = (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    const compared = Math.min(received.length, http2Preface.length);
    const couldBeHttp2 = received.subarray(0, compared).equals(http2Preface.subarray(0, compared));
    if (couldBeHttp2 && received.length < http2Preface.length) return;
    socket.off("data", onData);
    socket.pause();
    socket.setTimeout(0);
    socket.unshift(received);
    handOver(couldBeHttp2);
  };
  socket.on("data", onData);
}

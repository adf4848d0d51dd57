import { once } from "node:events";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import type { HttpHandler } from "../http/http-types.js";

// What every HTTP/2 client with prior knowledge sends first (RFC 9113, section 3.4).
const http2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/** A connection that has not sent its first bytes by then is closed. */
const firstBytesTimeoutMs = 10_000;

export interface OnePortListener {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves HTTP/1.1 and cleartext HTTP/2 on one port. Node has no server that speaks both
 * without TLS, so each connection's first bytes decide: the HTTP/2 preface goes to the
 * HTTP/2 server, anything else to the HTTP/1.1 server; both run the same handler.
 */
export async function listenOnOnePort(handler: HttpHandler, port: number, host?: string): Promise<OnePortListener> {
  const http1Server = http.createServer(handler);
  const http2Server = http2.createServer(handler);
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    sniff(socket, (isHttp2) => {
      (isHttp2 ? http2Server : http1Server).emit("connection", socket);
      // The HTTP/2 session drains what was put back itself; the HTTP/1.1 parser waits for 'data'.
      if (!isHttp2) socket.resume();
    });
  });
  server.listen(port, host);
  await once(server, "listening");

  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      const closed = once(server, "close");
      server.close();
      http1Server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function sniff(socket: net.Socket, handOver: (isHttp2: boolean) => void): void {
  let received = Buffer.alloc(0);
  socket.setTimeout(firstBytesTimeoutMs, () => socket.destroy());
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

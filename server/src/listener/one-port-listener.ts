import { once } from "node:events";
import http from "node:http";
import http2 from "node:http2";
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { HttpHandler } from "../http/http-types.js";
import { sniffFirstBytes } from "./first-bytes.js";
import type { TlsCredentials } from "./tls-credentials.js";
import { defaultListenerLimits, type ListenerLimits } from "./listener-limits.js";
import { terminateTls } from "./tls-termination.js";

export interface ListenerOptions {
  port: number;
  host?: string;
  limits?: ListenerLimits;
  /** With these, the port speaks TLS only. */
  tls?: TlsCredentials;
}

export interface OnePortListener {
  port: number;
  /** New TLS connections get these credentials; open ones keep theirs. Only for a TLS listener. */
  useTlsCredentials(credentials: TlsCredentials): void;
  /**
   * Stops accepting connections, lets requests under way finish for up to `graceMs`, then
   * closes whatever is left.
   */
  close(graceMs?: number): Promise<void>;
}

/** The most an HTTP/1.1 request line and headers may take together. */
const maxRequestHeadBytes = 256 * 1024;

/**
 * Serves HTTP/1.1 and HTTP/2 on one port, in cleartext or, given credentials, over TLS only.
 * Node has no server that speaks both without TLS, so each connection's first bytes decide:
 * the HTTP/2 preface goes to the HTTP/2 server, anything else to the HTTP/1.1 server; both
 * run the same handler. Over TLS, ALPN decides instead, and the same two servers serve.
 */
export async function listenOnOnePort(handler: HttpHandler, options: ListenerOptions): Promise<OnePortListener> {
  const limits = options.limits ?? defaultListenerLimits;
  const http1Server = http.createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: 0,
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
      // GET /api/usage names its meters in the address: a fleet's thousand names pass Node's 16 KB.
      maxHeaderSize: maxRequestHeadBytes,
    },
    handler,
  );
  // Node keeps the list of connections that headersTimeout and closeIdleConnections act on from
  // the moment a server listens. This one never listens, connections are handed to it, so it is
  // told that it does; without this a client could hold a connection open by never ending its
  // headers.
  http1Server.emit("listening");
  http1Server.setTimeout(limits.idleTimeoutMs, (socket) => socket.destroy());
  const http2Server = http2.createServer(handler);
  // With no 'timeout' listener, an HTTP/2 session idle this long is destroyed.
  http2Server.setTimeout(limits.idleTimeoutMs);
  const sessions = new Set<http2.ServerHttp2Session>();
  http2Server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  const serve = (socket: net.Socket, isHttp2: boolean) => {
    (isHttp2 ? http2Server : http1Server).emit("connection", socket);
    // The HTTP/2 session drains what was put back itself; the HTTP/1.1 parser waits for 'data'.
    if (!isHttp2) socket.resume();
  };
  const tls = options.tls && terminateTls(options.tls, limits, serve);
  const sockets = new Set<net.Socket>();

  // Off Nagle's algorithm, as Node's own HTTP servers do for the connections they accept
  // themselves (these two never listen): a stream's last small frame, its gRPC trailers, waited
  // for the client's delayed ACK of the data before it, up to tens of milliseconds an answer.
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    sniffFirstBytes(socket, limits.firstBytesTimeoutMs, (firstBytes) => {
      if (tls === undefined) serve(socket, firstBytes === "http2");
      else tls.accept(socket, firstBytes);
    });
  });
  server.listen(options.port, options.host);
  await once(server, "listening");

  return {
    port: (server.address() as net.AddressInfo).port,
    useTlsCredentials(credentials) {
      if (tls === undefined) throw new Error("this listener speaks cleartext; it has no TLS credentials to replace");
      tls.use(credentials);
    },
    async close(graceMs = 0) {
      const closed = once(server, "close");
      server.close();
      // Stops its connections' check and closes its idle ones; it never listened, which the callback is told.
      http1Server.close(() => {});
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

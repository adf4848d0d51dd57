import type net from "node:net";

// What every HTTP/2 client with prior knowledge sends first (RFC 9113, section 3.4).
const http2Preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
// The content type of a TLS handshake record, the first byte of every TLS connection.
const tlsHandshakeRecord = 0x16;

/** What a connection's first bytes say it speaks; "http1" is anything else, for the HTTP/1.1 parser to judge. */
export type FirstBytes = "tls" | "http2" | "http1";

/**
 * Reads a connection's first bytes until they tell what it speaks, puts them back and hands
 * the paused socket over. A connection that sends nothing for `timeoutMs` is closed.
 */
export function sniffFirstBytes(socket: net.Socket, timeoutMs: number, handOver: (firstBytes: FirstBytes) => void): void {
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
    handOver(received[0] === tlsHandshakeRecord ? "tls" : couldBeHttp2 ? "http2" : "http1");
  };
  socket.on("data", onData);
}

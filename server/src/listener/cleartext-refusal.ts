import http from "node:http";
import type net from "node:net";

/**
 * What a TLS-only port does with a cleartext connection: an HTTP/1.1 request is answered 400
 * with the https address to use instead, then the connection closes; HTTP/2 is closed at once.
 */
export function refuseCleartext(timeoutMs: number): (socket: net.Socket, isHttp2: boolean) => void {
  const http1Server = http.createServer((request, response) => {
    const address = request.headers.host === undefined ? "https://" : `https://${request.headers.host}/`;
    const body = `this port speaks TLS: use ${address}\n`;
    response.writeHead(400, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(body), connection: "close" });
    response.end(body);
  });
  http1Server.setTimeout(timeoutMs, (socket) => socket.destroy());
  return (socket, isHttp2) => {
    if (isHttp2) return void socket.destroy();
    http1Server.emit("connection", socket);
    socket.resume();
  };
}

import type net from "node:net";
import tls from "node:tls";
import { refuseCleartext } from "./cleartext-refusal.js";
import type { FirstBytes } from "./first-bytes.js";
import type { ListenerLimits } from "./listener-limits.js";
import type { TlsCredentials } from "./tls-credentials.js";

export interface TlsTermination {
  /** Takes over a new connection: a TLS handshake goes on, cleartext is refused. */
  accept(socket: net.Socket, firstBytes: FirstBytes): void;
  /** Connections from now on get these credentials; open ones keep theirs. */
  use(credentials: TlsCredentials): void;
}

/**
 * Does the TLS handshakes of the one port, choosing HTTP/2 or HTTP/1.1 by ALPN, and hands on
 * each secured socket. The tls.Server never listens: the one port's listener feeds it.
 */
export function terminateTls(
  credentials: TlsCredentials,
  limits: ListenerLimits,
  handOver: (socket: tls.TLSSocket, isHttp2: boolean) => void,
): TlsTermination {
  const server = tls.createServer({
    ...secureContextOptions(credentials),
    ALPNProtocols: ["h2", "http/1.1"],
    // A handshake that stalls is the TLS form of a connection that sends nothing.
    handshakeTimeout: limits.firstBytesTimeoutMs,
  });
  server.on("secureConnection", (socket: tls.TLSSocket) => handOver(socket, socket.alpnProtocol === "h2"));
  // A failed or timed-out handshake leaves its socket open unless told otherwise.
  server.on("tlsClientError", (_error, socket) => socket.destroy());
  const refuse = refuseCleartext(limits.headersTimeoutMs);
  return {
    accept(socket, firstBytes) {
      if (firstBytes === "tls") server.emit("connection", socket);
      else refuse(socket, firstBytes === "http2");
    },
    use: (fresh) => server.setSecureContext(secureContextOptions(fresh)),
  };
}

// setSecureContext forgets every option it is not given, so each call gives them all.
function secureContextOptions({ cert, key }: TlsCredentials): tls.SecureContextOptions {
  return { cert, key, minVersion: "TLSv1.2" };
}

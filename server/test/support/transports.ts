import type { Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";

/** A client transport to the service at baseUrl; over https://, trusting the certificate authority `ca` (PEM). */
export type TransportFactory = (baseUrl: string, ca?: string) => Transport;

/** Every protocol and HTTP version the one port speaks, as connect-node clients. */
export const everyTransport: [name: string, make: TransportFactory][] = [
  ["gRPC over HTTP/2", (baseUrl, ca) => createGrpcTransport({ baseUrl, nodeOptions: { ca } })],
  ["gRPC-Web over HTTP/1.1", (baseUrl, ca) => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { ca } })],
  ["gRPC-Web over HTTP/2", (baseUrl, ca) => createGrpcWebTransport({ baseUrl, httpVersion: "2", nodeOptions: { ca } })],
  ["Connect over HTTP/1.1", (baseUrl, ca) => createConnectTransport({ baseUrl, httpVersion: "1.1", nodeOptions: { ca } })],
  ["Connect over HTTP/2", (baseUrl, ca) => createConnectTransport({ baseUrl, httpVersion: "2", nodeOptions: { ca } })],
];

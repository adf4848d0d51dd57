import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";

/** A handler for HTTP/1.1 and HTTP/2 requests alike, in the shape connect-node's adapter uses. */
export type HttpHandler = NonNullable<ConnectNodeAdapterOptions["fallback"]>;
export type HttpRequest = Parameters<HttpHandler>[0];
export type HttpResponse = Parameters<HttpHandler>[1];

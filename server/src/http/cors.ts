import { cors } from "@connectrpc/connect";
import type { HttpHandler } from "./http-types.js";

/**
 * Lets browser pages from the listed origins call every route, RPCs included. With no
 * origins listed nothing is added, so browsers keep to the same-origin policy.
 */
export function withCors(allowedOrigins: string[], handler: HttpHandler): HttpHandler {
  if (allowedOrigins.length === 0) return handler;
  const allowed = new Set(allowedOrigins);
  const allowHeaders = [...cors.allowedHeaders, "Authorization"].join(", ");
  const exposeHeaders = cors.exposedHeaders.join(", ");
  const allowMethods = [...new Set([...cors.allowedMethods, "GET", "HEAD", "POST"])].join(", ");
  return (request, response) => {
    const origin = request.headers.origin;
    response.setHeader("vary", "Origin");
    if (origin === undefined || !allowed.has(origin)) return handler(request, response);
    response.setHeader("access-control-allow-origin", origin);
    response.setHeader("access-control-expose-headers", exposeHeaders);
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) {
      response.writeHead(204, {
        "access-control-allow-methods": allowMethods,
        "access-control-allow-headers": allowHeaders,
        "access-control-max-age": "7200",
      });
      response.end();
      return;
    }
    handler(request, response);
  };
}

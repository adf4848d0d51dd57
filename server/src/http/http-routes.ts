import type { ReadingStore } from "../store/reading-store.js";
import type { HttpHandler, HttpRequest, HttpResponse } from "./http-types.js";
import { serveReadings } from "./readings-route.js";
import { sendError } from "./send-json.js";
import { serveStaticFile } from "./static-files.js";


/** The plain HTTP side of the service: the JSON route and the built page. */
export function httpRoutes(store: ReadingStore, staticRoot: string, log: (error: unknown) => void): HttpHandler {
  return (request, response) => {
    route(store, staticRoot, request, response).catch((error: unknown) => {
      log(error);
      if (!response.headersSent) sendError(response, 500, "internal error");
      else response.destroy();
    });
  };
}

async function route(
  store: ReadingStore,
  staticRoot: string,
  request: HttpRequest,
  response: HttpResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://localhost");
  const readsOnly = request.method === "GET" || request.method === "HEAD";
  if (url.pathname === "/api/readings" || url.pathname === "/usage/data") {
    if (!readsOnly) return sendError(response, 405, `${request.method} is not allowed on ${url.pathname}; use GET`);
    return serveReadings(store, request, response, url.searchParams);
  }
  if (readsOnly && (await serveStaticFile(staticRoot, decodePath(url.pathname), response, request.method === "HEAD"))) {
    return;
  }
  sendError(response, 404, `nothing at ${url.pathname}`);
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return "\0";
  }
}

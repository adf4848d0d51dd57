import type { HttpResponse } from "./http-types.js";

export function sendJson(response: HttpResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendError(response: HttpResponse, status: number, message: string): void {
  sendJson(response, status, { error: message });
}

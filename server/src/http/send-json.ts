import type { HttpResponse } from "./http-types.js";

export function sendJson(response: HttpResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** JSON already written as UTF-8. */
export function sendJsonBytes(response: HttpResponse, status: number, bytes: Uint8Array): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": bytes.length });
  response.end(bytes);
}

export function sendError(response: HttpResponse, status: number, message: string): void {
  sendJson(response, status, { error: message });
}

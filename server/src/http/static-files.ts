import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import type { HttpResponse } from "./http-types.js";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

// The page loads only its own scripts and talks only to this service. Styles may be inline
// because the chart library sizes its canvas through style attributes.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

/**
 * Serves the built page from `root`. Answers false when no file matches, so the caller can
 * answer 404; a path that would leave `root` never matches.
 */
export async function serveStaticFile(root: string, pathname: string, response: HttpResponse, headOnly: boolean): Promise<boolean> {
  const relative = pathname === "/" ? "/index.html" : pathname;
  if (relative.includes("\0")) return false;
  const file = normalize(join(root, relative));
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
  const info = await stat(file).catch(() => undefined);
  if (info === undefined || !info.isFile()) return false;
  response.writeHead(200, {
    "content-type": contentTypes[extname(file)] ?? "application/octet-stream",
    "content-length": info.size,
    // Vite names built assets by content hash, so they never change; the page itself may.
    "cache-control": relative.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
    "x-content-type-options": "nosniff",
    "content-security-policy": contentSecurityPolicy,
    "referrer-policy": "no-referrer",
  });
  if (headOnly) {
    response.end();
    return true;
  }
  createReadStream(file).pipe(response as NodeJS.WritableStream);
  return true;
}

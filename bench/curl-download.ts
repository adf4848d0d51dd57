import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface CurlOptions {
  /** HTTP/2 cleartext with prior knowledge; otherwise HTTP/1.1. */
  http2?: boolean;
  headers?: Record<string, string>;
  /** A file whose bytes are POSTed as the body. */
  bodyFile?: string;
  /** curl's --limit-rate, for a reader slower than the server. */
  limitRate?: string;
  /** Where the body goes; by default nowhere. */
  output?: string;
}

export interface Download {
  bytes: number;
  /** From the start of the request to the last byte, as curl measures it: no process start-up. */
  seconds: number;
  status: number;
  /** Response headers, and for HTTP/2 the trailers too (gRPC puts its status there). */
  headers: string;
}

export interface RunningCurl {
  done: Promise<Download>;
  /** Ends a reader that has not finished; its download then rejects. */
  stop(): void;
}

/**
 * Downloads with curl in its own process, by default discarding the body, so the client costs this
 * process nothing and never slows the server down beyond what its socket asks.
 */
export function startCurl(url: string, options: CurlOptions = {}): RunningCurl {
  const folder = mkdtempSync(join(tmpdir(), "meterusage-curl-"));
  const headersFile = join(folder, "headers");
  const args = ["-sS", "-o", options.output ?? "/dev/null", "-D", headersFile, "-w", "%{size_download} %{time_total} %{http_code}"];
  if (options.http2) args.push("--http2-prior-knowledge");
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push("-H", `${name}: ${value}`);
  if (options.bodyFile !== undefined) args.push("--data-binary", `@${options.bodyFile}`);
  if (options.limitRate !== undefined) args.push("--limit-rate", options.limitRate);
  const child = spawn("curl", [...args, url], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (out += text));
  child.stderr.setEncoding("utf8").on("data", (text: string) => (err += text));
  const done = new Promise<Download>((resolve, reject) => {
    child.once("close", (code, signal) => {
      try {
        if (code !== 0) throw new Error(`curl ${url} failed (${code ?? signal}): ${err.trim()}`);
        const [bytes, seconds, status] = out.trim().split(" ").map(Number);
        resolve({ bytes, seconds, status, headers: readFileSync(headersFile, "utf8") });
      } catch (error) {
        reject(error);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
  return { done, stop: () => child.kill("SIGTERM") };
}

export function curlDownload(url: string, options: CurlOptions = {}): Promise<Download> {
  return startCurl(url, options).done;
}

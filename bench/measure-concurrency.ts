import type { ChildServer } from "./child-server.js";
import { startCurl } from "./curl-download.js";
import { peakRssMb, resetPeakRss } from "./process-memory.js";
import { result, type Result } from "./results.js";
import { streamProtocols, streamReadingsPath, writeStreamRequest } from "./stream-protocols.js";

/** Every tenth reader takes the stream at this rate: far slower than the server sends it. */
const slowRate = "200K";
const mixedProtocols = ["gRPC h2c", "gRPC-Web HTTP/1.1", "Connect HTTP/1.1"].map(
  (name) => streamProtocols.find((protocol) => protocol.name === name)!,
);

/**
 * Many whole-store streams at once over gRPC, gRPC-Web and Connect, a tenth of them read
 * slowly: the server must keep every stream going without buffering what the slow ones cannot
 * take yet. Rows/s counts the fast readers' rows until the last of them finishes; the slow ones
 * are then stopped.
 */
export async function measureConcurrency(server: ChildServer, size: number, streams: number, folder: string): Promise<Result> {
  const request = writeStreamRequest(folder, "concurrent");
  const url = `http://127.0.0.1:${server.port}${streamReadingsPath}`;
  resetPeakRss(server.pid);
  const started = performance.now();
  // A slow reader fails only when stopped, or when the server cuts its connection first.
  const cutShort: string[] = [];
  let stopping = false;
  const readers = Array.from({ length: streams }, (_, i) => {
    const slow = i % 10 === 9;
    const protocol = mixedProtocols[i % mixedProtocols.length];
    const curl = startCurl(url, { ...protocol.curl, bodyFile: request, limitRate: slow ? slowRate : undefined });
    const ended = curl.done.then(
      () => undefined,
      (error: Error) => {
        if (slow && !stopping) cutShort.push(`${protocol.name}: ${error.message}`);
      },
    );
    return { slow, curl, ended };
  });
  const fast = readers.filter((reader) => !reader.slow);
  const downloads = await Promise.all(fast.map((reader) => reader.curl.done));
  const seconds = (performance.now() - started) / 1000;
  const peak = peakRssMb(server.pid);
  stopping = true;
  for (const reader of readers.filter((reader) => reader.slow)) {
    reader.curl.stop();
    await reader.ended;
  }
  const bytes = downloads.reduce((sum, download) => sum + download.bytes, 0);
  if (downloads.some((download) => download.status !== 200 || download.bytes < downloads[0].bytes * 0.99)) {
    throw new Error(`concurrent streams: a fast reader got less than the others: ${downloads.map((d) => d.bytes).join(", ")}`);
  }
  const slowCount = readers.length - fast.length;
  const measured = result(size, `${streams} concurrent streams`, [{ rows: size * fast.length, bytes, seconds, peakRssMb: peak }], `${slowCount} read at ${slowRate}B/s; rows/s counts the ${fast.length} fast ones`);
  measured.goals.push(
    { text: `${streams} concurrent streams: server peak RSS < 200 MB`, met: peak < 200 },
    { text: `${streams} concurrent streams: no slow reader cut off before the fast ones finished${cutShort.length > 0 ? ` (${cutShort.join("; ")})` : ""}`, met: cutShort.length === 0 },
  );
  return measured;
}

import { statSync } from "node:fs";
import { join } from "node:path";
import { startChildServer, type ChildServer } from "./child-server.js";
import { curlDownload } from "./curl-download.js";
import { peakRssMb, resetPeakRss } from "./process-memory.js";
import { compare, result, type Measured, type Result } from "./results.js";
import { execFileSync } from "node:child_process";

/** GET /api/readings for the whole store, against the same bytes served as a static file. */
export async function measureJson(server: ChildServer, size: number, { folder, repeats }: { folder: string; repeats: number }): Promise<Result[]> {
  const url = `http://127.0.0.1:${server.port}/api/readings`;
  const body = join(folder, "readings.json");
  execFileSync("curl", ["-sS", "-o", body, url]);
  const bodyBytes = statSync(body).size;

  const runs: Measured[] = [];
  for (let run = 0; run < repeats; run++) {
    resetPeakRss(server.pid);
    const download = await curlDownload(url);
    if (download.status !== 200 || download.bytes !== bodyBytes) {
      throw new Error(`JSON route: HTTP ${download.status}, ${download.bytes} bytes where the first answer had ${bodyBytes}`);
    }
    runs.push({ rows: size, bytes: download.bytes, seconds: download.seconds, peakRssMb: peakRssMb(server.pid) });
  }
  const json = result(size, "JSON GET /api/readings (HTTP/1.1)", runs);

  const staticServer = await startChildServer(process.execPath, ["--import", "tsx", join(import.meta.dirname, "workers/static-file-server.ts"), body]);
  const staticRuns: Measured[] = [];
  try {
    for (let run = 0; run < repeats; run++) {
      resetPeakRss(staticServer.pid);
      const download = await curlDownload(`http://127.0.0.1:${staticServer.port}/`);
      staticRuns.push({ rows: size, bytes: download.bytes, seconds: download.seconds, peakRssMb: peakRssMb(staticServer.pid) });
    }
  } finally {
    await staticServer.stop();
  }
  const staticFile = result(size, "ref: the same JSON as a static file", staticRuns, "Node http + fs.createReadStream");
  const { megabytesPerSecond } = compare(json, staticFile);
  json.goals.push({ text: "JSON route >= 50% of the static file's MB/s", met: megabytesPerSecond >= 0.5 });
  return [json, staticFile];
}

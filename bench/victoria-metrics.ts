import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { accessSync, constants, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";
import { peakRssMb } from "./process-memory.js";
import type { Measured } from "./results.js";

/** The long CSV's columns as VictoriaMetrics' CSV import maps them: the meter a label, the value the metric `value`. */
const csvFormat = "1:label:meter,2:time:custom:2006-01-02 15:04:05,3:metric:value";
/** The fleet's 2019 lies years back; VictoriaMetrics drops what is older than its retention. */
const retention = "100y";
const pollMs = 200;

export interface VictoriaMetrics {
  url: string;
  pid: number;
  /** Everything it stores lives here. */
  dataPath: string;
  stop(): Promise<void>;
}

/** Debian's `victoria-metrics` single-node binary on PATH, or why it cannot be measured. */
export function findVictoriaMetrics(): { binary: string } | { skip: string } {
  for (const folder of (process.env.PATH ?? "").split(delimiter)) {
    const binary = join(folder, "victoria-metrics");
    try {
      accessSync(binary, constants.X_OK);
      return { binary };
    } catch {
      // Not in this folder.
    }
  }
  return { skip: "no victoria-metrics on PATH (apt-get install victoria-metrics)" };
}

/** Starts VictoriaMetrics on a data directory of its own under `folder` and a free loopback port; answers once it is healthy. */
export async function startVictoriaMetrics(binary: string, folder: string): Promise<VictoriaMetrics> {
  const dataPath = join(folder, "data");
  mkdirSync(dataPath, { recursive: true });
  const port = await freePort();
  const logFile = join(folder, "victoria-metrics.log");
  const log = openSync(logFile, "a");
  const child = spawn(
    binary,
    [
      `-storageDataPath=${dataPath}`,
      `-httpListenAddr=127.0.0.1:${port}`,
      `-retentionPeriod=${retention}`,
      // A meter's year in one export; its default is 30 days.
      "-search.maxExportDuration=87600h",
      "-loggerLevel=ERROR",
    ],
    { stdio: ["ignore", log, log] },
  );
  const url = `http://127.0.0.1:${port}`;
  const exited = once(child, "exit");
  for (;;) {
    if (child.exitCode !== null) throw new Error(`victoria-metrics exited (${child.exitCode}) before it was healthy:\n${tail(logFile)}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    await sleep(pollMs);
  }
  return {
    url,
    pid: child.pid!,
    dataPath,
    async stop() {
      await stopProcess(child, exited);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * The long CSV posted to /api/v1/import/csv by curl, which streams the file, timed from the
 * request to the end of /internal/force_flush, after which every reading can be searched.
 * VictoriaMetrics skips the header line (logging it as a bad line) and stores no sample for
 * a NaN, so `rows` counts the lines it was given.
 */
export async function importIntoVictoriaMetrics(vm: VictoriaMetrics, csv: string, readings: number): Promise<Measured> {
  const started = performance.now();
  const url = `${vm.url}/api/v1/import/csv?${new URLSearchParams({ format: csvFormat })}`;
  const curl = spawn("curl", ["-sS", "-X", "POST", "-H", "Expect:", "-T", csv, "-o", "/dev/null", "-w", "%{http_code}", url], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  curl.stdout.setEncoding("utf8").on("data", (text: string) => (out += text));
  curl.stderr.setEncoding("utf8").on("data", (text: string) => (out += text));
  let peak = 0;
  const poll = setInterval(() => (peak = Math.max(peak, peakRssMb(vm.pid))), 250);
  const [code] = (await once(curl, "close")) as [number | null];
  clearInterval(poll);
  if (code !== 0 || out.trim() !== "204") throw new Error(`VictoriaMetrics import of ${csv} failed (curl ${code}): ${out.trim()}`);
  await internal(vm, "force_flush");
  const seconds = (performance.now() - started) / 1000;
  const inserted = await metric(vm, 'vm_rows_inserted_total{type="csvimport"}');
  if (inserted < 0.99 * readings) throw new Error(`VictoriaMetrics took ${inserted} of the CSV's ${readings} readings`);
  return { rows: readings, bytes: statSync(csv).size, seconds, peakRssMb: Math.max(peak, peakRssMb(vm.pid)) };
}

/**
 * Bytes on disk once everything is merged: /internal/force_merge, then until no merge has
 * run for a second, the data directory's files (data parts, index and metadata) added up.
 */
export async function victoriaMetricsSize(vm: VictoriaMetrics): Promise<{ bytes: number; parts: Record<string, number> }> {
  await internal(vm, "force_merge");
  let quietSince = Number.NaN;
  for (;;) {
    await sleep(pollMs);
    const text = await (await fetch(`${vm.url}/metrics`)).text();
    const running = [...text.matchAll(/^vm_active_(?:force_)?merges(?:\{[^}]*\})? (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    if (running > 0) quietSince = Number.NaN;
    else if (Number.isNaN(quietSince)) quietSince = performance.now();
    else if (performance.now() - quietSince >= 1000) break;
  }
  const parts = Object.fromEntries(readdirSync(vm.dataPath).map((name) => [name, treeBytes(join(vm.dataPath, name))]));
  return { bytes: Object.values(parts).reduce((sum, bytes) => sum + bytes, 0), parts };
}

/** The /api/v1/export URL of one meter's range: one JSON line, the values and timestamps as arrays. */
export function victoriaMetricsExportUrl(vm: VictoriaMetrics, meter: string, range: { start: number; end: number }): string {
  // end is inclusive in VictoriaMetrics; a millisecond less keeps the range half-open as ours.
  const query = new URLSearchParams({ "match[]": `value{meter="${meter}"}`, start: new Date(range.start).toISOString(), end: new Date(range.end - 1).toISOString() });
  return `${vm.url}/api/v1/export?${query}`;
}

/** The samples of an /api/v1/export answer. */
export function samplesInExport(body: string): number {
  return body
    .split("\n")
    .filter((line) => line.trim() !== "")
    .reduce((sum, line) => sum + (JSON.parse(line) as { values: unknown[] }).values.length, 0);
}

async function internal(vm: VictoriaMetrics, action: string): Promise<void> {
  const response = await fetch(`${vm.url}/internal/${action}`);
  if (!response.ok) throw new Error(`VictoriaMetrics /internal/${action}: HTTP ${response.status} ${await response.text()}`);
}

async function metric(vm: VictoriaMetrics, name: string): Promise<number> {
  const text = await (await fetch(`${vm.url}/metrics`)).text();
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // It panics rather than exits when stopped during a merge; the data is thrown away either way.
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  child.kill("SIGTERM");
  await exited;
  clearTimeout(killer);
}

function treeBytes(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + treeBytes(join(path, name)), 0);
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

function tail(file: string): string {
  return readFileSync(file, "utf8").split("\n").slice(-20).join("\n");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

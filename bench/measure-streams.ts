import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startChildServer, type ChildServer } from "./child-server.js";
import { curlDownload, type Download } from "./curl-download.js";
import { peakRssMb, resetPeakRss } from "./process-memory.js";
import { compare, result, type Measured, type Result } from "./results.js";
import { runWorker } from "./run-worker.js";
import { streamProtocols, streamReadingsPath, writeStreamRequest, type StreamProtocol } from "./stream-protocols.js";
import { syntheticMeter, syntheticTime } from "./synthetic-readings.js";
import { readingsPerLaterMessage, readingsPerMessage } from "../server/src/rpc/meter-usage-service.js";

/** The slow references stream this many rows of the same store, from its start. */
const referencePrefixRows = 100_000;

/**
 * Whole-store StreamReadings per protocol, against the in-process limit and two plain servers,
 * which read the same readings as a row each from `referenceDb`.
 */
export async function measureStreams(
  server: ChildServer,
  referenceDb: string,
  size: number,
  { folder, repeats, python }: { folder: string; repeats: number; python: PythonReference },
): Promise<Result[]> {
  const limits: Measured[] = [];
  for (let run = 0; run < repeats; run++) {
    limits.push(await runWorker<Measured>("reference-encode.ts", [referenceDb, syntheticMeter, String(readingsPerMessage), String(readingsPerLaterMessage)]));
  }
  const limit = result(size, "ref (a): in-process SQLite + BinaryWriter", limits, "no network; bytes as framed on the wire");
  const wholeStore = writeStreamRequest(folder, "whole-store");
  const prefixRows = Math.min(size, referencePrefixRows);
  const prefix = writeStreamRequest(folder, "prefix", { end: syntheticTime(prefixRows) });
  const results: Result[] = [];
  for (const protocol of streamProtocols) {
    const url = `http://127.0.0.1:${server.port}${streamReadingsPath}`;
    // Uncounted, so that the JIT has compiled this protocol's path before the clock runs.
    await curlDownload(url, { ...protocol.curl, bodyFile: prefix });
    const runs: Measured[] = [];
    for (let run = 0; run < repeats; run++) {
      resetPeakRss(server.pid);
      const download = await curlDownload(url, { ...protocol.curl, bodyFile: wholeStore });
      checkStream(protocol, download, limit.bytes);
      runs.push({ rows: size, bytes: download.bytes, seconds: download.seconds, peakRssMb: peakRssMb(server.pid) });
    }
    results.push(result(size, `stream ${protocol.name}`, runs));
  }

  const warmUp = writeStreamRequest(folder, "warm-up", { end: syntheticTime(Math.min(prefixRows, 10_000)) });
  const note = prefixRows < size ? `first ${prefixRows} rows of the same store` : undefined;
  const grpcJs = await measureReferenceServer(size, "ref (b): @grpc/grpc-js, a message per row", prefixRows, prefix, warmUp, note, () =>
    startChildServer(process.execPath, ["--import", "tsx", join(import.meta.dirname, "workers/grpc-js-server.ts"), referenceDb]),
  );
  const pythonServer =
    "skip" in python
      ? undefined
      : await measureReferenceServer(size, "ref (c): Python grpcio, a message per row", prefixRows, prefix, warmUp, note, () =>
          startChildServer(pythonCommand, [join(import.meta.dirname, "workers/python_server.py"), referenceDb, python.messages]),
        );

  const [grpc, ...others] = results;
  const vsLimit = compare(grpc, limit);
  const vsGrpcJs = compare(grpc, grpcJs);
  if (pythonServer !== undefined) compare(grpc, pythonServer);
  grpc.goals.push(
    { text: "gRPC h2c >= 80% of the in-process limit (a)", met: vsLimit.rowsPerSecond >= 0.8 },
    { text: "gRPC h2c >= 20x the grpc-js server (b)", met: vsGrpcJs.rowsPerSecond >= 20 },
  );
  for (const other of others) {
    const { rowsPerSecond } = compare(other, grpc);
    other.goals.push({ text: `${other.name.replace("stream ", "")} >= 80% of gRPC h2c`, met: rowsPerSecond >= 0.8 });
  }
  if (pythonServer === undefined) limit.note = `${limit.note}; ref (c) skipped: ${"skip" in python ? python.skip : ""}`;
  return [...results, limit, grpcJs, ...(pythonServer === undefined ? [] : [pythonServer])];
}

/** Rejects a stream that did not carry every message the in-process reference encoded. */
function checkStream(protocol: StreamProtocol, download: Download, messageBytes: number): void {
  const extra = download.bytes - messageBytes;
  if (download.status !== 200 || extra < 0 || extra > protocol.maxExtraBytes) {
    throw new Error(`${protocol.name}: HTTP ${download.status}, ${download.bytes} bytes where the messages alone take ${messageBytes}`);
  }
  if (protocol.name.startsWith("gRPC h2c") && !/^grpc-status: 0\r?$/m.test(download.headers)) {
    throw new Error(`${protocol.name}: no grpc-status 0 in the trailers:\n${download.headers}`);
  }
}

async function measureReferenceServer(
  size: number,
  name: string,
  rows: number,
  request: string,
  warmUp: string,
  note: string | undefined,
  start: () => Promise<ChildServer>,
): Promise<Result> {
  const server = await start();
  try {
    const url = `http://127.0.0.1:${server.port}${streamReadingsPath}`;
    const grpc = streamProtocols[0].curl;
    await curlDownload(url, { ...grpc, bodyFile: warmUp });
    resetPeakRss(server.pid);
    const download = await curlDownload(url, { ...grpc, bodyFile: request });
    if (!/^grpc-status: 0\r?$/m.test(download.headers)) throw new Error(`${name}: the stream failed:\n${download.headers}`);
    return result(size, name, [{ rows, bytes: download.bytes, seconds: download.seconds, peakRssMb: peakRssMb(server.pid) }], note);
  } finally {
    await server.stop();
  }
}

/** Debian's Python, whose python3-grpcio and python3-protobuf packages the reference server uses. */
const pythonCommand = "/usr/bin/python3";

export type PythonReference = { messages: string } | { skip: string };

/**
 * Message classes for the Python server, generated by protoc from the same .proto; or why the
 * Python reference cannot run here.
 */
export function preparePythonReference(folder: string): PythonReference {
  const out = join(folder, "python");
  mkdirSync(out, { recursive: true });
  try {
    execFileSync(pythonCommand, ["-c", "import grpc, google.protobuf"], { stdio: "ignore" });
    execFileSync("protoc", ["-I", join(import.meta.dirname, "../proto"), `--python_out=${out}`, "meterusage/v1/meterusage.proto"], { stdio: "ignore" });
  } catch {
    return { skip: `needs ${pythonCommand} with grpc and protobuf, and protoc (apt-get install python3-grpcio python3-protobuf protobuf-compiler)` };
  }
  return { messages: out };
}

import { statSync } from "node:fs";
import { startChildServer } from "./child-server.js";
import { builtCli } from "./dist-modules.js";
import { curlDownload } from "./curl-download.js";
import type { PostgresCluster } from "./postgres-cluster.js";
import { peakRssMb, resetPeakRss } from "./process-memory.js";
import { compare, result, type Measured, type Result } from "./results.js";
import { runWorker } from "./run-worker.js";
import { streamProtocols, streamReadingsPath, writeStreamRequest } from "./stream-protocols.js";
import { syntheticTime } from "./synthetic-readings.js";
import { createTestDatabase, type TestDatabase } from "../server/test/support/test-postgres.js";

/**
 * The same CSV imported into the PostgreSQL store, and its whole-store gRPC stream, beside
 * the SQLite store's results of the same size.
 */
export async function measurePostgres(
  cluster: PostgresCluster,
  csv: string,
  size: number,
  { folder, repeats, sqlite }: { folder: string; repeats: number; sqlite: Result[] },
): Promise<Result[]> {
  const csvBytes = statSync(csv).size;
  const imports: Measured[] = [];
  let database: TestDatabase | undefined;
  for (let run = 0; run < repeats; run++) {
    await database?.drop();
    database = await createTestDatabase(cluster.url);
    const imported = await runWorker<Omit<Measured, "bytes">>("import-csv.ts", [csv, database.url]);
    imports.push({ ...imported, bytes: csvBytes });
  }
  const imported = result(size, "PostgreSQL: import CSV -> store", imports, "COPY FROM STDIN in one transaction");
  compare(imported, find(sqlite, size, "import CSV -> store"));

  const server = await startChildServer(process.execPath, [builtCli, "serve", "--port", "0", "--host", "127.0.0.1", "--db", database!.url]);
  try {
    const grpc = streamProtocols[0];
    const streamUrl = `http://127.0.0.1:${server.port}${streamReadingsPath}`;
    const warmUp = writeStreamRequest(folder, "postgres-warm-up", { end: syntheticTime(Math.min(size, 10_000)) });
    await curlDownload(streamUrl, { ...grpc.curl, bodyFile: warmUp });
    const wholeStore = writeStreamRequest(folder, "postgres-whole-store");
    const sqliteStream = find(sqlite, size, `stream ${grpc.name}`);
    const runs: Measured[] = [];
    for (let run = 0; run < repeats; run++) {
      resetPeakRss(server.pid);
      const download = await curlDownload(streamUrl, { ...grpc.curl, bodyFile: wholeStore });
      if (download.status !== 200 || !/^grpc-status: 0\r?$/m.test(download.headers) || download.bytes !== sqliteStream.bytes) {
        throw new Error(`PostgreSQL stream: HTTP ${download.status}, ${download.bytes} bytes where SQLite sent ${sqliteStream.bytes}:\n${download.headers}`);
      }
      runs.push({ rows: size, bytes: download.bytes, seconds: download.seconds, peakRssMb: peakRssMb(server.pid) });
    }
    const streamed = result(size, `PostgreSQL: stream ${grpc.name}`, runs, "keyset pages, one short query each");
    compare(streamed, sqliteStream);
    return [imported, streamed];
  } finally {
    await server.stop();
    await database!.drop();
  }
}

function find(results: Result[], size: number, name: string): Result {
  const found = results.find((candidate) => candidate.size === size && candidate.name === name);
  if (found === undefined) throw new Error(`no SQLite result "${name}" at ${size} to compare with`);
  return found;
}

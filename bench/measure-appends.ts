import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { once } from "node:events";
import http2 from "node:http2";
import { join } from "node:path";
import { AppendReadingsRequestSchema } from "../gen/meterusage/v1/meterusage_pb.js";
import { startChildServer, type ChildServer } from "./child-server.js";
import { builtCli } from "./dist-modules.js";
import { settings } from "./durable-postgres.js";
import { callGrpc } from "./grpc-latency.js";
import { inTurns, type Turns } from "./in-turns.js";
import type { PostgresCluster } from "./postgres-cluster.js";
import { peakRssMb } from "./process-memory.js";
import { compare, result, type Result } from "./results.js";
import { runWorker } from "./run-worker.js";
import { envelope } from "./stream-protocols.js";
import { stepMs } from "./synthetic-readings.js";
import { asAdmin, createTestDatabase, type TestDatabase } from "../server/test/support/test-postgres.js";

/** Small batches, as a meter gateway sends them: each append is one transaction. */
export const readingsPerAppend = 10;
const appendPath = "/meterusage.v1.MeterUsageService/AppendReadings";
const ingestToken = "bench";
const note = `rows are appends, each a transaction of ${readingsPerAppend} readings, one after another`;

export interface AppendOptions {
  folder: string;
  postgres: PostgresCluster | { skip: string };
  /** Each case appends for this long in all, in `rounds` slices taken in turn with the others. */
  seconds: number;
  rounds: number;
  log(message: string): void;
}

/**
 * Appends per second of small batches: what committing durably (synchronous=FULL) costs
 * SQLite against NORMAL, in bare better-sqlite3, in the store and in the service; and the
 * service on PostgreSQL with commits that wait for the disk, and without. Appending comes
 * last in a run, because it restarts the PostgreSQL cluster with fsync on.
 */
export async function measureAppends({ folder, postgres, seconds, rounds, log }: AppendOptions): Promise<Result[]> {
  log("appends: bare better-sqlite3 and the store, synchronous=NORMAL against FULL");
  const references = await runWorker<({ name: string } & Turns)[]>("reference-appends.ts", [folder, String(seconds), String(rounds), String(readingsPerAppend)]);
  const [bareNormal, bareFull, storeNormal, storeFull] = references.map(({ name, calls, seconds }) =>
    result(0, `append: ${name}`, [{ rows: calls, bytes: NaN, seconds, peakRssMb: NaN }], note),
  );
  compare(bareFull, bareNormal);
  compare(storeFull, storeNormal);

  log("appends: the service, on SQLite and PostgreSQL");
  const databases: TestDatabase[] = [];
  const servers: ChildServer[] = [];
  try {
    const serve = ["serve", "--port", "0", "--host", "127.0.0.1", "--ingest-token", ingestToken, "--db"];
    const withSynchronous = (setting: string) => [
      "--import",
      "tsx",
      join(import.meta.dirname, "workers/service-with-synchronous.ts"),
      join(folder, `service-${setting}.db`),
      setting,
      ingestToken,
    ];
    const services = [
      { name: "SQLite, meterusage serve as it is (synchronous=FULL)", args: [builtCli, ...serve, join(folder, "service.db")] },
      { name: "SQLite, the same service on a store switched to synchronous=NORMAL", args: withSynchronous("NORMAL") },
      { name: "SQLite, the same service on a store left at synchronous=FULL", args: withSynchronous("FULL") },
    ];
    let cluster = "";
    if (!("skip" in postgres)) {
      await postgres.makeDurable();
      const [fsync, synchronousCommit, fullPageWrites] = await settings(postgres.url, ["fsync", "synchronous_commit", "full_page_writes"]);
      cluster = `cluster: fsync=${fsync}, synchronous_commit=${synchronousCommit}, full_page_writes=${fullPageWrites}`;
      const [durable, relaxed] = [await createTestDatabase(postgres.url), await createTestDatabase(postgres.url)];
      databases.push(durable, relaxed);
      await asAdmin(postgres.url, `ALTER DATABASE ${new URL(relaxed.url).pathname.slice(1)} SET synchronous_commit = off`);
      services.push(
        { name: "PostgreSQL, synchronous_commit=on", args: [builtCli, ...serve, durable.url] },
        { name: "PostgreSQL, synchronous_commit=off for its database", args: [builtCli, ...serve, relaxed.url] },
      );
    }
    for (const { args } of services) servers.push(await startChildServer(process.execPath, args));
    const turns = await appendInTurns(servers, seconds, rounds);
    const [asIs, before, after, durable, relaxed] = turns.map((measured, index) =>
      result(0, `append: service AppendReadings (gRPC h2c), ${services[index].name}`, [{ ...measured, peakRssMb: peakRssMb(servers[index].pid) }], index < 3 ? note : `${note}; ${cluster}`),
    );
    compare(asIs, before);
    compare(asIs, storeFull);
    compare(after, before);
    if (durable !== undefined) {
      compare(durable, asIs);
      compare(durable, relaxed);
    }
    return [bareNormal, bareFull, storeNormal, storeFull, asIs, before, after, ...(durable === undefined ? [] : [durable, relaxed])];
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    for (const database of databases) await database.drop();
  }
}

/** AppendReadings calls to each server in turn, one after another, each with the next readings of one meter. */
async function appendInTurns(servers: ChildServer[], seconds: number, rounds: number) {
  const sessions = await Promise.all(
    servers.map(async ({ port }) => {
      const session = http2.connect(`http://127.0.0.1:${port}`);
      await once(session, "connect");
      return session;
    }),
  );
  try {
    const appends = sessions.map((session) => {
      let time = Date.UTC(2030, 0, 1);
      return () => {
        const readings = Array.from({ length: readingsPerAppend }, () => ({ time: timestampFromMs((time += stepMs)), value: 1.5 }));
        const body = envelope(toBinary(AppendReadingsRequestSchema, create(AppendReadingsRequestSchema, { meter: "appends", readings })));
        return callGrpc(session, appendPath, body, { authorization: `Bearer ${ingestToken}` });
      };
    });
    const turns = await inTurns(appends, seconds, rounds);
    return turns.map(({ calls, seconds }) => ({ rows: calls, bytes: NaN, seconds }));
  } finally {
    for (const session of sessions) session.close();
  }
}

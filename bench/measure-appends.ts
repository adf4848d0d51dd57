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
 * SQLite against NORMAL, in bare better-sqlite3 and in the store; the service's own rate on
 * SQLite as it is; and PostgreSQL's with commits that wait for the disk, and without.
 * PostgreSQL is last, because it restarts the cluster with fsync on.
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
    const locations = [join(folder, "appends.db")];
    let cluster = "";
    if (!("skip" in postgres)) {
      await postgres.makeDurable();
      const [fsync, synchronousCommit, fullPageWrites] = await settings(postgres.url, ["fsync", "synchronous_commit", "full_page_writes"]);
      cluster = `cluster: fsync=${fsync}, synchronous_commit=${synchronousCommit}, full_page_writes=${fullPageWrites}`;
      databases.push(await createTestDatabase(postgres.url), await createTestDatabase(postgres.url));
      await asAdmin(postgres.url, `ALTER DATABASE ${new URL(databases[1].url).pathname.slice(1)} SET synchronous_commit = off`);
      locations.push(...databases.map(({ url }) => url));
    }
    for (const location of locations) {
      servers.push(await startChildServer(process.execPath, [builtCli, "serve", "--port", "0", "--host", "127.0.0.1", "--db", location, "--ingest-token", ingestToken]));
    }
    const turns = await appendInTurns(servers, seconds, rounds);
    const [sqlite, durable, relaxed] = turns.map((measured, index) =>
      result(0, `append: service AppendReadings (gRPC h2c), ${serviceCases[index]}`, [{ ...measured, peakRssMb: peakRssMb(servers[index].pid) }], index === 0 ? note : `${note}; ${cluster}`),
    );
    compare(sqlite, storeFull);
    if (durable !== undefined) {
      compare(durable, sqlite);
      compare(durable, relaxed);
    }
    return [bareNormal, bareFull, storeNormal, storeFull, sqlite, ...(durable === undefined ? [] : [durable, relaxed])];
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    for (const database of databases) await database.drop();
  }
}

const serviceCases = ["SQLite as it is (synchronous=FULL)", "PostgreSQL, synchronous_commit=on", "PostgreSQL, synchronous_commit=off for its database"];

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

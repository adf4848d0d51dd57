import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MeterUsageService, type StreamReadingsResponse } from "../../gen/meterusage/v1/meterusage_pb.js";
import { bundledCsv, packageRoot } from "../src/package-paths.js";
import type { Reading } from "../src/readings/reading.js";
import { listenerName } from "../src/store/postgres/notification-session.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { referenceData } from "./support/reference-data.js";
import { spawnService, type ServiceProcess } from "./support/spawn-service.js";
import { asAdmin, createTestDatabase, testPostgres, type TestDatabase } from "./support/test-postgres.js";

const token = "t";
const cluster = testPostgres();

/** A StreamReadings follow over gRPC, read message by message. */
function grpcFollower(service: ServiceProcess, start: number, end?: number) {
  const abort = new AbortController();
  const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: service.baseUrl }));
  const request = { start: timestampFromMs(start), end: end === undefined ? undefined : timestampFromMs(end), follow: true };
  const messages = client.streamReadings(request, { signal: abort.signal })[Symbol.asyncIterator]();
  return {
    /** The readings of the next message that carries any. */
    async next(): Promise<Reading[]> {
      for (;;) {
        const result: IteratorResult<StreamReadingsResponse> = await messages.next();
        assert.ok(!result.done, "the follow stream ended");
        if (result.value.readings.length > 0) {
          return result.value.readings.map((r) => ({ time: timestampMs(r.time!), value: r.value ?? null }));
        }
      }
    },
    stop: () => abort.abort(),
  };
}

async function stopService(service: ServiceProcess): Promise<void> {
  if (service.child.exitCode !== null) return;
  service.child.kill("SIGTERM");
  await once(service.child, "exit");
}

describe("two service processes on one PostgreSQL database", { skip: cluster.skip }, () => {
  let database: TestDatabase;
  let first: ServiceProcess;
  let second: ServiceProcess;
  before(async () => {
    database = await createTestDatabase(cluster.url!);
    // Both at once on the empty database, as replicas behind a load balancer start.
    [first, second] = await Promise.all([
      spawnService(["--db", database.url, "--ingest-token", token]),
      spawnService(["--db", database.url, "--ingest-token", token]),
    ]);
  });
  after(async () => {
    await Promise.all([first, second].filter(Boolean).map(stopService));
    await database?.drop();
  });

  it("started together on an empty database, fill it once and serve the same readings", async () => {
    const filled = [first, second].filter((service) => /the store was empty; imported 2975 readings/.test(service.output()));
    assert.equal(filled.length, 1, "exactly one of them imports the bundled readings");
    const [fromFirst, fromSecond] = await Promise.all(
      [first, second].map(async (service) => (await (await fetch(`${service.baseUrl}/api/readings`)).json()) as { readings: unknown[] }),
    );
    assert.equal(fromFirst.readings.length, referenceData.count);
    assert.deepEqual(fromSecond, fromFirst);
  });

  it("a gRPC follower of one sees what is stored through the other, by every ingest path", async () => {
    const start = Date.parse("2030-01-01T00:00:00Z");
    const follower = grpcFollower(second, start);
    const headers = { authorization: `Bearer ${token}` };
    const ingestPaths: [string, (time: number) => Promise<unknown>][] = [
      ["POST text/csv", (time) => post(first, "text/csv", `time,meterusage\n${new Date(time).toISOString()},1.5\n`)],
      ["POST application/json", (time) => post(first, "application/json", JSON.stringify({ readings: [{ time: new Date(time).toISOString(), value: 1.5 }] }))],
      [
        "AppendReadings",
        (time) =>
          createClient(MeterUsageService, createGrpcTransport({ baseUrl: first.baseUrl })).appendReadings(
            (async function* () {
              yield { readings: [{ time: timestampFromMs(time), value: 1.5 }] };
            })(),
            { headers },
          ),
      ],
    ];
    for (const [i, [path, ingest]] of ingestPaths.entries()) {
      const time = start + i * 900_000;
      const [readings] = await Promise.all([follower.next(), ingest(time)]);
      assert.deepEqual(readings, [{ time, value: 1.5 }], path);
    }
    follower.stop();
  });

  it("a follower of each sees the stored readings of its range, then what the other stores", async () => {
    const start = Date.parse(referenceData.last.time);
    const end = Date.parse("2029-01-01T00:00:00Z");
    const followers = [grpcFollower(first, start, end), grpcFollower(second, start, end)];
    for (const follower of followers) assert.deepEqual(await follower.next(), [{ time: start, value: referenceData.last.value }]);
    const time = Date.parse("2019-02-01T00:00:00Z");
    await post(second, "text/csv", `time,meterusage\n2019-02-01 00:00:00,7\n`);
    for (const follower of followers) assert.deepEqual(await follower.next(), [{ time, value: 7 }]);
    for (const follower of followers) follower.stop();
  });

  it("ends a follower with Unavailable when its process loses the connection it listens on, and follows again", async () => {
    const start = Date.parse("2031-01-01T00:00:00Z");
    const follower = grpcFollower(second, start);
    await post(first, "text/csv", `time,meterusage\n${new Date(start).toISOString()},3\n`);
    assert.deepEqual(await follower.next(), [{ time: start, value: 3 }]);
    const name = new URL(database.url).pathname.slice(1);
    const listening = await asAdmin(
      cluster.url!,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND application_name = '${listenerName}'`,
    );
    assert.ok(listening.rowCount! >= 1, "the follower's process listens on a connection of its own");
    await assert.rejects(follower.next(), (error: unknown) => ConnectError.from(error).code === Code.Unavailable && /follow again/.test(String(error)));
    const again = grpcFollower(second, start);
    assert.deepEqual(await again.next(), [{ time: start, value: 3 }]);
    again.stop();
  });
});

async function post(service: ServiceProcess, type: string, body: string): Promise<void> {
  const response = await fetch(`${service.baseUrl}/api/readings`, {
    method: "POST",
    body,
    headers: { "content-type": type, authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 200, await response.text());
}

describe("stores opening one empty PostgreSQL database at once", { skip: cluster.skip }, () => {
  it("open while another process holds the MQTT subscriber's lease", async () => {
    const database = await createTestDatabase(cluster.url!);
    const holder = await PostgresStore.open(database.url);
    const standing = new AbortController();
    try {
      const lease = await holder.subscriberLease(standing.signal);
      assert.ok(lease, "the first store takes the lease");
      // Each lock the processes take turns by has a key of its own: opening waits for none the lease holds.
      let stalled: NodeJS.Timeout | undefined;
      const opened = await Promise.race([
        PostgresStore.open(database.url),
        new Promise<"stalled">((resolve) => (stalled = setTimeout(resolve, 30_000, "stalled"))),
      ]);
      clearTimeout(stalled);
      assert.notEqual(opened, "stalled", "a store opening while the lease is held waited for it");
      await (opened as PostgresStore).close();
      await lease!.release();
    } finally {
      standing.abort();
      await holder.close();
      await database.drop();
    }
  });

  it("all open, the tables created once, however many start together", async () => {
    for (let round = 0; round < 10; round += 1) {
      const database = await createTestDatabase(cluster.url!);
      try {
        const opened = await Promise.allSettled(Array.from({ length: 8 }, () => PostgresStore.open(database.url)));
        const refused = opened.flatMap((result) => (result.status === "rejected" ? [String(result.reason)] : []));
        await Promise.all(opened.map((result) => (result.status === "fulfilled" ? result.value.close() : undefined)));
        assert.deepEqual(refused, [], `round ${round}`);
      } finally {
        await database.drop();
      }
    }
  });
});

describe("the meterusage command on PostgreSQL", { skip: cluster.skip }, () => {
  let database: TestDatabase;
  before(async () => (database = await createTestDatabase(cluster.url!)));
  after(() => database?.drop());

  it("imports into a postgres:// URL, showing the URL without its password", () => {
    const url = new URL(database.url);
    url.password = "s3cret";
    const result = meterusage("import", bundledCsv, "--db", url.toString());
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout.trim(), `stored ${referenceData.count} readings from ${bundledCsv} in ${url.toString().replace(":s3cret@", ":***@")}`);
    assert.doesNotMatch(result.stdout + result.stderr, /s3cret/);
  });
});

describe("a PostgreSQL database that cannot be reached", () => {
  it("is refused at start-up, saying why, without the password", () => {
    const result = meterusage("serve", "--port", "0", "--db", "postgres://reader:s3cret@127.0.0.1:1/readings");
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), "meterusage: cannot use the database postgres://reader:***@127.0.0.1:1/readings: connect ECONNREFUSED 127.0.0.1:1");
  });
});

function meterusage(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", join(packageRoot, "server/src/cli.ts"), ...args], {
    encoding: "utf8",
    env: { ...process.env, METERUSAGE_DB: "", PORT: "" },
    timeout: 20_000,
  });
}

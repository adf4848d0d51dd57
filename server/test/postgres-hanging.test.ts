import assert from "node:assert/strict";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { spawnService, type ServiceProcess } from "./support/spawn-service.js";
import { startThrowawayCluster } from "./support/test-postgres.js";
import { checkHealth, postReadings, storedTimes, unavailableMessage, untilHealth } from "./support/unavailable-store.js";

const token = "t";
const meter = "hung";
const start = Date.parse("2030-01-01T00:00:00Z");
// A cluster of this file's own: the one the other tests share must never be stopped.
const started = startThrowawayCluster();
const cluster = "why" in started ? undefined : started;

/** The cluster's postmaster and every process it runs, the service's backends among them. */
async function clusterProcesses(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const postmaster = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${rows[0].pid}/status`, "utf8"))![1]);
    const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, "utf8").trim().split(/\s+/).map(Number);
    return [postmaster, ...children.filter((pid) => pid !== rows[0].pid)];
  } finally {
    await client.end();
  }
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // A backend that ended meanwhile.
    }
  }
}

const skip = cluster === undefined ? `no PostgreSQL cluster of its own: ${"why" in started ? started.why : ""}` : process.platform !== "linux" ? "needs Linux's /proc" : undefined;

describe("a service whose PostgreSQL hangs (its processes stopped with SIGSTOP) and goes on again", { skip }, () => {
  let service: ServiceProcess;
  let stopped: number[] = [];
  before(async () => {
    // A short answer timeout, so that the test need not wait out the default's 15 s.
    service = await spawnService(["--db", `${cluster!.url}?query_timeout=1500`, "--ingest-token", token]);
  });
  after(async () => {
    signalAll(stopped, "SIGCONT");
    if (service !== undefined && service.child.exitCode === null) {
      service.child.kill("SIGTERM");
      await once(service.child, "exit");
    }
    cluster?.stop();
  });

  it("answers 503 saying the store is unavailable, and NOT_SERVING, rather than waiting for ever", async () => {
    assert.equal(await postReadings(service.baseUrl, token, meter, [{ time: start, value: 1 }]), 200);
    stopped = await clusterProcesses(cluster!.url);
    signalAll(stopped, "SIGSTOP");

    const meters = await fetch(`${service.baseUrl}/api/meters`);
    assert.equal(meters.status, 503);
    assert.deepEqual(await meters.json(), { error: unavailableMessage });
    assert.equal(await postReadings(service.baseUrl, token, meter, [{ time: start + 900_000, value: 2 }]), 503);
    await untilHealth(service.baseUrl, "NOT_SERVING", 60_000);
  });

  it("serves again without a restart once PostgreSQL goes on, having stored nothing it refused", async () => {
    signalAll(stopped, "SIGCONT");
    stopped = [];
    await untilHealth(service.baseUrl, "SERVING", 60_000);
    assert.equal(await checkHealth(service.baseUrl), "SERVING");
    assert.equal(await postReadings(service.baseUrl, token, meter, [{ time: start + 1_800_000, value: 3 }]), 200);
    assert.deepEqual([...(await storedTimes(service.baseUrl, meter))].sort(), [start, start + 1_800_000]);
  });
});

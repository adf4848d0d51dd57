import assert from "node:assert/strict";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MeterUsageService, type StreamReadingsResponse } from "../../gen/meterusage/v1/meterusage_pb.js";
import { spawnService, type ServiceProcess } from "./support/spawn-service.js";
import { startThrowawayCluster } from "./support/test-postgres.js";
import {
  assertReadsUnavailable,
  assertWritesUnavailable,
  checkHealth,
  postReadings,
  storedTimes,
  untilHealth,
  watchHealth,
} from "./support/unavailable-store.js";

const token = "t";
const meter = "load";
const start = Date.parse("2030-01-01T00:00:00Z");
// A cluster of this file's own: the one the other tests share must never be stopped.
const started = startThrowawayCluster();
const cluster = "why" in started ? undefined : started;

interface Append {
  time: number;
  status: number;
  startedAt: number;
  endedAt: number;
}

/**
 * Clients that append one reading each, a new time every time, and read the meter list, as
 * fast as the service answers them, until stopped; every answer is kept.
 */
function startLoad(baseUrl: string, appenders = 3) {
  const appends: Append[] = [];
  const listings: number[] = [];
  let next = 0;
  let running = true;
  const appender = async () => {
    while (running) {
      const time = start + 900_000 * next++;
      const startedAt = performance.now();
      const status = await postReadings(baseUrl, token, meter, [{ time, value: 1 }]);
      appends.push({ time, status, startedAt, endedAt: performance.now() });
      // Not a busy loop: the machine is shared.
      await sleep(10);
    }
  };
  const reader = async () => {
    while (running) {
      const response = await fetch(`${baseUrl}/api/meters`);
      await response.arrayBuffer();
      listings.push(response.status);
      await sleep(10);
    }
  };
  const workers = [...Array.from({ length: appenders }, appender), reader()];
  return {
    appends,
    listings,
    async until(condition: () => boolean, what: string, withinMs = 30_000) {
      const started = performance.now();
      while (!condition()) {
        assert.ok(performance.now() - started < withinMs, `no ${what} within ${withinMs} ms`);
        await sleep(20);
      }
    },
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

/** A StreamReadings follow of the meter from `from`, read message by message. */
function follower(baseUrl: string, from: number) {
  const abort = new AbortController();
  const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl }));
  const messages = client.streamReadings({ meter, start: timestampFromMs(from), follow: true }, { signal: abort.signal })[Symbol.asyncIterator]();
  return {
    async nextTimes(): Promise<number[]> {
      for (;;) {
        const result: IteratorResult<StreamReadingsResponse> = await messages.next();
        assert.ok(!result.done, "the follow stream ended");
        if (result.value.readings.length > 0) return result.value.readings.map((reading) => timestampMs(reading.time!));
      }
    },
    /** The error that ends the stream, after whatever readings come before it. */
    async ending(): Promise<ConnectError> {
      try {
        for (;;) assert.ok(!(await messages.next()).done, "the follow stream ended without an error");
      } catch (error) {
        return ConnectError.from(error);
      }
    },
    stop: () => abort.abort(),
  };
}

describe("a service whose PostgreSQL stops under load and starts again", { skip: "why" in started ? `no PostgreSQL cluster of its own: ${started.why}` : undefined }, () => {
  let service: ServiceProcess;
  let load: ReturnType<typeof startLoad>;
  let health: ReturnType<typeof watchHealth>;
  let stoppedAt = 0;
  let resumingAt = 0;
  before(async () => {
    service = await spawnService(["--db", cluster!.url, "--ingest-token", token]);
    service.child.once("exit", (code) => {
      if (code !== 0) process.stderr.write(service.output());
    });
    health = watchHealth(service.baseUrl);
  });
  after(async () => {
    health?.stop();
    await load?.stop();
    if (service && service.child.exitCode === null) {
      service.child.kill("SIGTERM");
      await once(service.child, "exit");
    }
    cluster?.stop();
  });

  it("serves reads, appends and a follower while PostgreSQL runs", async () => {
    assert.equal(await postReadings(service.baseUrl, token, meter, [{ time: start - 900_000, value: 0 }]), 200);
    load = startLoad(service.baseUrl);
    await load.until(() => load.appends.filter((append) => append.status === 200).length >= 20, "20 stored appends");
    assert.equal(await checkHealth(service.baseUrl), "SERVING");
  });

  it("says 503 / Unavailable on every route and RPC, NOT_SERVING, and ends followers with Unavailable once PostgreSQL stops", async () => {
    const following = follower(service.baseUrl, start - 900_000);
    assert.deepEqual((await following.nextTimes())[0], start - 900_000);

    await cluster!.pause();
    stoppedAt = performance.now();

    assert.equal((await following.ending()).code, Code.Unavailable);
    await untilHealth(service.baseUrl, "NOT_SERVING");
    assert.equal(await checkHealth(service.baseUrl), "NOT_SERVING");
    await assertReadsUnavailable(service.baseUrl, meter);
    await assertWritesUnavailable(service.baseUrl, token, meter, Date.parse("2040-01-01T00:00:00Z"));
    assert.equal((await follower(service.baseUrl, start).ending()).code, Code.Unavailable);
    const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
    assert.match(metrics, /^meterusage_store_up 0$/m);
    // The clients under load are refused too, and nothing answers 500.
    await load.until(() => load.appends.some((append) => append.startedAt > stoppedAt && append.status === 503), "refused append");
  });

  it("is SERVING again without a restart once PostgreSQL is back, and stores and follows again", async (t) => {
    const refusedBefore = load.appends.length;
    resumingAt = performance.now();
    await cluster!.resume();
    const resumedAt = performance.now();
    await untilHealth(service.baseUrl, "SERVING");
    const recoveredAt = performance.now();
    t.diagnostic(
      `health SERVING ${Math.round(recoveredAt - resumedAt)} ms after pg_ctl start returned ` +
        `(${Math.round(recoveredAt - resumingAt)} ms after it was called)`,
    );
    assert.equal(await checkHealth(service.baseUrl), "SERVING");
    await load.until(() => load.appends.slice(refusedBefore).filter((append) => append.startedAt > recoveredAt && append.status === 200).length >= 20, "20 appends stored after recovery");

    const following = follower(service.baseUrl, Date.parse("2050-01-01T00:00:00Z"));
    const [times] = await Promise.all([
      following.nextTimes(),
      (async () => {
        await sleep(200);
        assert.equal(await postReadings(service.baseUrl, token, meter, [{ time: Date.parse("2050-01-01T00:00:00Z"), value: 2 }]), 200);
      })(),
    ]);
    assert.deepEqual(times, [Date.parse("2050-01-01T00:00:00Z")]);
    following.stop();
    const metrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
    assert.match(metrics, /^meterusage_store_up 1$/m);
    assert.deepEqual(health.statuses, ["SERVING", "NOT_SERVING", "SERVING"]);
  });

  it("lost nothing acknowledged: every append answered 200 is stored, none asked while PostgreSQL was down is", async () => {
    await load.stop();
    const stored = await storedTimes(service.baseUrl, meter);
    const statuses = new Set([...load.appends.map((append) => append.status), ...load.listings]);
    assert.deepEqual([...statuses].sort(), [200, 503], "every answer is 200 or 503, never 500");
    for (const append of load.appends) {
      if (append.status === 200) assert.ok(stored.has(append.time), `the append of ${new Date(append.time).toISOString()} was acknowledged but is not stored`);
      // Asked after the server had stopped and answered before it was started: it never reached it.
      if (append.startedAt > stoppedAt && append.endedAt < resumingAt) {
        assert.equal(append.status, 503);
        assert.ok(!stored.has(append.time), `the append of ${new Date(append.time).toISOString()} was refused but is stored`);
      }
    }
    const logs = service.output();
    assert.match(logs, /the store is unavailable: answering 503/);
    assert.match(logs, /the store answers again after \d+ ms: SERVING/);
  });
});

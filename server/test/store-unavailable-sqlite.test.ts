import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Reading } from "../src/readings/reading.js";
import { spawnService, type ServiceProcess } from "./support/spawn-service.js";
import {
  assertWritesUnavailable,
  checkHealth,
  postReadings,
  storedTimes,
  untilHealth,
  watchHealth,
} from "./support/unavailable-store.js";

const token = "t";
const meter = "fill";

type SmallDisk = { folder: string; unmount(): void } | { why: string };

/** A tmpfs of `size` of this test's own, where it may make one: as root, where mount works. */
function mountSmallDisk(size: string): SmallDisk {
  if (process.getuid?.() !== 0) return { why: "filling a disk needs a small tmpfs, which only root may mount (a read-only file would not do: the open database keeps writing)" };
  const folder = mkdtempSync(join(tmpdir(), "meterusage-small-disk-"));
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", folder], { encoding: "utf8" });
  if (mounted.status !== 0) {
    rmSync(folder, { recursive: true, force: true });
    return { why: `no small tmpfs could be mounted: ${mounted.error?.message ?? mounted.stderr.trim()}` };
  }
  return {
    folder,
    unmount() {
      spawnSync("umount", ["--lazy", folder]);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Writes a file until the disk has no room left. */
function fillDisk(path: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  const file = openSync(path, "w");
  try {
    for (;;) writeSync(file, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(file);
  }
}

const disk = mountSmallDisk("8m");

describe("a service whose SQLite disk fills up and is freed again", { skip: "why" in disk ? disk.why : undefined }, () => {
  const folder = "why" in disk ? "" : disk.folder;
  const filler = join(folder, "filler");
  const appends: { readings: Reading[]; status: number }[] = [];
  let service: ServiceProcess;
  let health: ReturnType<typeof watchHealth>;
  let next = Date.parse("2030-01-01T00:00:00Z");
  const append = async (count = 200) => {
    const readings = Array.from({ length: count }, (_, i) => ({ time: next + i * 900_000, value: i / 8 }));
    next += count * 900_000;
    const status = await postReadings(service.baseUrl, token, meter, readings);
    appends.push({ readings, status });
    return status;
  };

  before(async () => {
    service = await spawnService(["--db", join(folder, "readings.db"), "--ingest-token", token]);
    health = watchHealth(service.baseUrl);
  });
  after(async () => {
    health?.stop();
    if (service && service.child.exitCode === null) {
      service.child.kill("SIGTERM");
      await once(service.child, "exit");
    }
    if (!("why" in disk)) disk.unmount();
  });

  it("refuses the append that finds the disk full with 503, and is NOT_SERVING from then on", async () => {
    assert.equal(await append(), 200);
    fillDisk(filler);
    let status = 200;
    for (let attempt = 0; attempt < 1000 && status === 200; attempt++) status = await append();
    assert.equal(status, 503, "some append finds the disk full");
    // Health turned with the failed call itself, before its answer went out.
    assert.equal(await checkHealth(service.baseUrl), "NOT_SERVING");
    await untilHealth(service.baseUrl, "NOT_SERVING");
    await assertWritesUnavailable(service.baseUrl, token, meter, Date.parse("2040-01-01T00:00:00Z"));
    assert.match(await (await fetch(`${service.baseUrl}/metrics`)).text(), /^meterusage_store_up 0$/m);
    assert.match(service.output(), /"code":"SQLITE_FULL".*"msg":"the store is unavailable: answering 503/);
  });

  it("still answers reads, which a full disk does not stop", async () => {
    assert.equal((await fetch(`${service.baseUrl}/api/meters`)).status, 200);
    assert.ok((await storedTimes(service.baseUrl, meter)).size > 0);
  });

  it("is SERVING again once there is room, without a restart, and stores again", async (t) => {
    unlinkSync(filler);
    const recoveryMs = await untilHealth(service.baseUrl, "SERVING");
    t.diagnostic(`health SERVING ${Math.round(recoveryMs)} ms after the filler file was removed`);
    assert.equal(await checkHealth(service.baseUrl), "SERVING");
    assert.equal(await append(), 200);
    assert.match(await (await fetch(`${service.baseUrl}/metrics`)).text(), /^meterusage_store_up 1$/m);
    assert.deepEqual(health.statuses, ["SERVING", "NOT_SERVING", "SERVING"]);
  });

  it("lost nothing acknowledged: every append answered 200 is stored whole, none answered 503 is", async () => {
    const stored = await storedTimes(service.baseUrl, meter);
    assert.deepEqual(new Set(appends.map(({ status }) => status)), new Set([200, 503]));
    for (const { readings, status } of appends) {
      for (const { time } of readings) assert.equal(stored.has(time), status === 200, `${new Date(time).toISOString()} after ${status}`);
    }
  });
});

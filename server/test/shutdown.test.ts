import assert from "node:assert/strict";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { once } from "node:events";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { referenceData } from "./support/reference-data.js";
import { spawnService } from "./support/spawn-service.js";
import { temporaryFolder } from "./support/test-server.js";

describe("shutting down on SIGTERM", () => {
  it("ends follow streams cleanly, refuses new connections, closes the store and exits 0", async () => {
    const folder = temporaryFolder();
    const db = join(folder, "shutdown.db");
    const service = await spawnService(["--db", db, "--shutdown-grace", "2000"]);
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: service.baseUrl }));

    let followed = 0;
    const follower = (async () => {
      for await (const message of client.streamReadings({ follow: true })) followed += message.readings.length;
    })();
    while (followed < referenceData.count) await new Promise((resolve) => setTimeout(resolve, 10));

    service.child.kill("SIGTERM");
    const [code] = await once(service.child, "exit");
    await follower;
    assert.equal(code, 0, service.output());
    assert.equal(followed, referenceData.count);
    const entries = service.output().trim().split("\n").map((line) => JSON.parse(line) as { msg: string; code?: string; rowsSent?: number });
    assert.deepEqual(
      entries.filter((entry) => entry.msg !== "request").slice(-2).map((entry) => entry.msg),
      ["SIGTERM: finishing requests under way (up to 2000 ms), then stopping", "stopped"],
    );
    const followLine = entries.find((entry) => entry.msg === "request");
    assert.deepEqual([followLine?.code, followLine?.rowsSent], ["ok", referenceData.count], "the follow stream ended cleanly");

    await assert.rejects(client.getSummary({}), (error: unknown) => ConnectError.from(error).code === Code.Unavailable);
    const reopened = new SqliteStore(db);
    assert.equal(await reopened.count(), referenceData.count);
    await reopened.close();
    rmSync(folder, { recursive: true, force: true });
  });
});

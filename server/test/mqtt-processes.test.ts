import assert from "node:assert/strict";
import { once } from "node:events";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { MqttClient } from "mqtt";
import type { Reading } from "../src/readings/reading.js";
import { metricOf, startMqttService, waitFor, writeMapFile } from "./support/mqtt-service.js";
import { spawnService, type ServiceProcess } from "./support/spawn-service.js";
import { mosquittoProgram, startTestBroker, type TestBroker } from "./support/test-mosquitto.js";
import { createTestDatabase, testPostgres, type TestDatabase } from "./support/test-postgres.js";
import { temporaryFolder } from "./support/test-server.js";

const minute = 60_000;
const broker = mosquittoProgram();
const cluster = testPostgres();

/**
 * A register reported every 10 seconds from `start`, rising by whole Wh, so that each minute's
 * increase is exactly the register's value at its end less that at its start.
 */
function register(count: number, start: number, seed: number): { time: number; value: number }[] {
  let value = 1_000_000 + seed;
  return Array.from({ length: count }, (_, i) => {
    value += (i * 7 + seed) % 5;
    return { time: start + i * 10_000, value };
  });
}

/** Each whole minute the messages span, with the register's increase over it. */
function expectedMinutes(messages: { time: number; value: number }[]): Reading[] {
  const valueAt = new Map(messages.map((m) => [m.time, m.value]));
  const readings: Reading[] = [];
  const first = Math.ceil(messages[0].time / minute) * minute;
  for (let start = first; start + minute <= messages[messages.length - 1].time; start += minute) {
    readings.push({ time: start, value: valueAt.get(start + minute)! - valueAt.get(start)! });
  }
  return readings;
}

const mapOf = (clientId: string) => ({
  clientId,
  subscriptions: [{ topic: "tele/+/SENSOR", meter: "{1}", value: "ENERGY.Total", time: "Time", cumulative: true, interval: "1m", unit: "Wh" }],
});

async function publish(client: MqttClient, device: string, message: { time: number; value: number }): Promise<void> {
  const payload = { Time: new Date(message.time).toISOString().slice(0, 19), ENERGY: { Total: message.value } };
  await client.publishAsync(`tele/${device}/SENSOR`, JSON.stringify(payload), { qos: 1 });
}

async function readingsOver(baseUrl: string, meter: string): Promise<Reading[]> {
  const response = await fetch(`${baseUrl}/api/readings?meter=${meter}`);
  if (response.status === 404) return [];
  const { readings } = (await response.json()) as { readings: { time: string; value: number | null }[] };
  return readings.map((r) => ({ time: Date.parse(r.time), value: r.value }));
}

/** Waits until the meter holds every expected minute, then checks each is stored once, with its increase. */
async function assertAllStored(baseUrl: () => string, meter: string, expected: Reading[]): Promise<void> {
  const readings = await waitFor(`${expected.length} minutes of ${meter}`, async () => {
    const stored = await readingsOver(baseUrl(), meter).catch(() => []);
    return stored.length >= expected.length ? stored : undefined;
  });
  assert.deepEqual(readings, expected, "every minute's increase, stored once");
  const sum = readings.reduce((total, r) => total + r.value!, 0);
  assert.equal(sum, expected.reduce((total, r) => total + r.value!, 0));
}

async function stopService(service: ServiceProcess | undefined): Promise<void> {
  if (service === undefined || service.child.exitCode !== null || service.child.signalCode !== null) return;
  const exited = once(service.child, "exit");
  service.child.kill("SIGTERM");
  await exited;
}

describe("MQTT ingest across crashes and restarts", { skip: broker.skip }, () => {
  let mosquitto: TestBroker;
  before(async () => (mosquitto = await startTestBroker()));
  after(() => mosquitto?.stop());

  it("killed with -9 while messages keep coming, then restarted: every minute stored once, the sums the register's increase", async () => {
    const folder = temporaryFolder();
    const args = ["--db", join(folder, "readings.db"), "--mqtt", mosquitto.url, "--mqtt-map", writeMapFile(folder, mapOf("meterusage-kill"))];
    let service = await spawnService(args);
    try {
      await waitFor("the subscription", () => metricOf(service.baseUrl, "meterusage_mqtt_connected").then((v) => v === 1));
      const publisher = await mosquitto.publisher();
      const messages = register(3000, Date.parse("2024-05-01T00:00:03Z") - 3000, 3);
      const killedAt = 1000;
      for (const [i, message] of messages.entries()) {
        await publish(publisher, "boiler", message);
        if (i === killedAt) {
          // Once it is storing, kill it mid-stream, and go on publishing while it is down.
          await waitFor("some minutes stored", async () => (await readingsOver(service.baseUrl, "boiler")).length > 10);
          service.child.kill("SIGKILL");
          await once(service.child, "exit");
        }
        if (i === killedAt + 500) service = await spawnService(args);
      }
      await assertAllStored(() => service.baseUrl, "boiler", expectedMinutes(messages));
    } finally {
      await stopService(service);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("reconnects after the broker restarts and loses nothing published before or after", async () => {
    const service = await startMqttService(mosquitto.url, mapOf("meterusage-restart"));
    try {
      await waitFor("the subscription", () => service.metric("meterusage_mqtt_connected").then((v) => v === 1));
      const publisher = await mosquitto.publisher();
      const messages = register(600, Date.parse("2024-05-02T00:00:00Z"), 1);
      for (const message of messages.slice(0, 300)) await publish(publisher, "heatpump", message);
      await mosquitto.restart();
      await waitFor("the publisher back", () => publisher.connected);
      for (const message of messages.slice(300)) await publish(publisher, "heatpump", message);
      await assertAllStored(() => service.baseUrl, "heatpump", expectedMinutes(messages));
      await waitFor("connected again", () => service.metric("meterusage_mqtt_connected").then((v) => v === 1));
      assert.ok(service.logEntries.some((entry) => /MQTT: not connected to/.test(String(entry.msg))), "the lost connection is logged");
    } finally {
      await service.close();
    }
  });

  describe("two service processes on one PostgreSQL database", { skip: cluster.skip }, () => {
    let database: TestDatabase;
    let folder: string;
    let services: ServiceProcess[] = [];
    before(async () => {
      database = await createTestDatabase(cluster.url!);
      folder = temporaryFolder();
      const args = ["--db", database.url, "--mqtt", mosquitto.url, "--mqtt-map", writeMapFile(folder, mapOf("meterusage-fleet"))];
      services = await Promise.all([spawnService(args), spawnService(args)]);
    });
    after(async () => {
      await Promise.all(services.map(stopService));
      await database?.drop();
      rmSync(folder, { recursive: true, force: true });
    });

    it("one subscribes while the other stands by, and takes over with the shared register state when it stops", async () => {
      const subscribing = (service: ServiceProcess) => metricOf(service.baseUrl, "meterusage_mqtt_subscribing");
      const [active, standby] = await waitFor("one process subscribing", async () => {
        const states = await Promise.all(services.map(subscribing));
        if (states[0] === 1 && states[1] === 0) return services;
        if (states[0] === 0 && states[1] === 1) return [services[1], services[0]];
        return undefined;
      });
      await waitFor("the subscription", () => metricOf(active.baseUrl, "meterusage_mqtt_connected").then((v) => v === 1));
      const publisher = await mosquitto.publisher();
      const messages = register(400, Date.parse("2024-05-03T00:00:00Z"), 2);
      for (const message of messages.slice(0, 200)) await publish(publisher, "pool", message);
      await waitFor("the first half stored", async () => (await readingsOver(standby.baseUrl, "pool")).length >= 30);
      await stopService(active);
      for (const message of messages.slice(200)) await publish(publisher, "pool", message);
      await waitFor("the other subscribing", () => subscribing(standby).then((v) => v === 1));
      await assertAllStored(() => standby.baseUrl, "pool", expectedMinutes(messages));
    });
  });
});

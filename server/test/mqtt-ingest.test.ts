import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { MqttClient } from "mqtt";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import type { Reading } from "../src/readings/reading.js";
import { startMqttService, waitFor, type MqttService } from "./support/mqtt-service.js";
import { storedReadings } from "./support/stored-readings.js";
import { TestCertificateAuthority } from "./support/test-certificates.js";
import { mosquittoProgram, startTestBroker, type TestBroker } from "./support/test-mosquitto.js";
import { temporaryFolder } from "./support/test-server.js";

const map = {
  clientId: "meterusage-test",
  subscriptions: [
    { topic: "tele/+/SENSOR", meter: "{1}", value: "ENERGY.Total", time: "Time", timeZone: "Europe/London", cumulative: true, interval: "15m", unit: "kWh" },
    {
      topic: "shellies/+/events/rpc",
      meter: "shelly-{1}",
      value: "params.em1data:0.total_act_energy",
      time: "params.ts",
      cumulative: true,
      scale: 0.001,
      interval: "30m",
      unit: "kWh",
    },
    {
      topic: "dsmr/json",
      meter: "p1",
      value: ["electricity_delivered_1", "electricity_delivered_2"],
      time: "timestamp",
      timeZone: "Europe/Amsterdam",
      cumulative: true,
      interval: "15m",
      unit: "kWh",
    },
    { topic: "meters/+/+", meter: "{1}.{2}", value: "$" },
  ],
};

const minute = 60_000;

function assertReadings(actual: Reading[], expected: Reading[]): void {
  assert.deepEqual(
    actual.map((r) => new Date(r.time).toISOString()),
    expected.map((r) => new Date(r.time).toISOString()),
  );
  for (const [i, reading] of actual.entries()) {
    assert.ok(Math.abs(reading.value! - expected[i].value!) < 1e-9, `${new Date(reading.time).toISOString()}: ${reading.value} is not ${expected[i].value}`);
  }
}

async function publishAll(client: MqttClient, topic: string, payloads: unknown[]): Promise<void> {
  for (const payload of payloads) await client.publishAsync(topic, typeof payload === "string" ? payload : JSON.stringify(payload), { qos: 1 });
}

async function readingsOnce(service: MqttService, meter: string, count: number): Promise<Reading[]> {
  return waitFor(`${count} readings of ${meter}`, async () => {
    if ((await service.store.meter(meter)) === undefined) return undefined;
    const readings = await storedReadings(service.store, {}, meter);
    return readings.length >= count ? readings : undefined;
  });
}

const broker = mosquittoProgram();

describe("MQTT ingest from a real broker", { skip: broker.skip }, () => {
  let mosquitto: TestBroker;
  let service: MqttService;
  let publisher: MqttClient;
  before(async () => {
    mosquitto = await startTestBroker();
    service = await startMqttService(mosquitto.url, map);
    await waitFor("the subscription", () => service.metric("meterusage_mqtt_connected").then((value) => value === 1));
    publisher = await mosquitto.publisher();
  });
  after(async () => {
    await service?.close();
    await mosquitto?.stop();
  });

  it("turns a Tasmota register in local time into quarter-hour increases, on a meter with the map's unit and zone", async () => {
    // 10:00 to 12:00 British Summer Time, every 5 minutes, 0.1 kWh each.
    const payloads = Array.from({ length: 25 }, (_, i) => {
      const local = new Date(Date.parse("2024-06-01T10:00:00Z") + i * 5 * minute).toISOString().slice(0, 19);
      return { Time: local, ENERGY: { TotalStartTime: "2023-01-01T00:00:00", Total: 1234.5 + i * 0.1, Yesterday: 3.2, Today: 1.1, Power: 1200 } };
    });
    await publishAll(publisher, "tele/kitchen/SENSOR", payloads);
    const readings = await readingsOnce(service, "kitchen", 8);
    assertReadings(
      readings,
      Array.from({ length: 8 }, (_, i) => ({ time: Date.parse("2024-06-01T09:00:00Z") + i * 15 * minute, value: 0.3 })),
    );
    const meter = await service.store.meter("kitchen");
    assert.equal(meter?.unit, "kWh");
    assert.equal(meter?.timeZone, "Europe/London");
  });

  it("reads a Shelly's Wh register in its RPC notifications, scaled to kWh, into half-hour increases", async () => {
    const start = Date.parse("2024-06-01T10:00:00Z");
    const payloads = Array.from({ length: 10 }, (_, i) => ({
      src: "shellyem-a1",
      dst: "shellies/shellyem-a1/events",
      method: "NotifyStatus",
      params: { ts: (start + i * 10 * minute) / 1000, "em1data:0": { id: 0, total_act_energy: 250_000 + i * 50, total_act_ret_energy: 0 } },
    }));
    await publishAll(publisher, "shellies/shellyem-a1/events/rpc", payloads);
    const readings = await readingsOnce(service, "shelly-shellyem-a1", 3);
    assertReadings(
      readings,
      [0, 1, 2].map((i) => ({ time: start + i * 30 * minute, value: 0.15 })),
    );
  });

  it("reads a P1 reader's two tariffs through the fall-back night, each repeated local hour its own quarter-hours", async () => {
    // 2024-10-27 in Amsterdam: 01:00 to 03:00 local, with 02:00-03:00 twice, every 15 minutes.
    const locals = ["01:00", "01:15", "01:30", "01:45", "02:00", "02:15", "02:30", "02:45", "02:00", "02:15", "02:30", "02:45", "03:00"];
    const payloads = locals.map((local, i) => ({
      timestamp: `2024-10-27 ${local}:00`,
      electricity_delivered_1: 5000 + Math.min(i, 6) * 0.25,
      electricity_delivered_2: 3000 + Math.max(0, i - 6) * 0.25,
      electricity_currently_delivered: 0.9,
    }));
    await publishAll(publisher, "dsmr/json", payloads);
    const readings = await readingsOnce(service, "p1", 12);
    assertReadings(
      readings,
      Array.from({ length: 12 }, (_, i) => ({ time: Date.parse("2024-10-26T23:00:00Z") + i * 15 * minute, value: 0.25 })),
    );
  });

  it("counts a register that goes down as a reset, adding the new value, and says so in the log and the metrics", async () => {
    const totals = [500, 500.5, 0.2, 0.4];
    const payloads = totals.map((total, i) => ({ Time: `2024-01-10T00:${String(i * 15).padStart(2, "0")}:00`, ENERGY: { Total: total } }));
    await publishAll(publisher, "tele/garage/SENSOR", payloads);
    const readings = await readingsOnce(service, "garage", 3);
    assertReadings(readings, [
      { time: Date.parse("2024-01-10T00:00:00Z"), value: 0.5 },
      { time: Date.parse("2024-01-10T00:15:00Z"), value: 0.2 },
      { time: Date.parse("2024-01-10T00:30:00Z"), value: 0.2 },
    ]);
    assert.equal(await service.metric('meterusage_mqtt_register_resets_total{meter="garage"}'), 1);
    assert.ok(service.logEntries.some((entry) => /register of garage went down from 500.5 to 0.2/.test(String(entry.msg))));
  });

  it("stores a bare number as one reading at the time it arrives", async () => {
    const before = Date.now();
    await publisher.publishAsync("meters/flat/1", "1.5", { qos: 1 });
    const [reading] = await readingsOnce(service, "flat.1", 1);
    assert.equal(reading.value, 1.5);
    assert.ok(reading.time >= before - 1000, "the reading's time is when it arrived");
  });

  it("shows a live gRPC follower each reading as it commits", async () => {
    await publisher.publishAsync("meters/hall/1", JSON.stringify(1), { qos: 1 });
    const [first] = await readingsOnce(service, "hall.1", 1);
    const abort = new AbortController();
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: service.baseUrl }));
    const messages = client.streamReadings({ meter: "hall.1", start: timestampFromMs(first.time + 1), follow: true }, { signal: abort.signal })[Symbol.asyncIterator]();
    const next = async () => {
      for (;;) {
        const { value, done } = await messages.next();
        assert.ok(!done, "the follow ended");
        if (value.readings.length > 0) return value.readings.map((r) => ({ time: timestampMs(r.time!), value: r.value }));
      }
    };
    const received = next();
    await publisher.publishAsync("meters/hall/1", "2.5", { qos: 1 });
    const [reading] = await received;
    assert.equal(reading.value, 2.5);
    assert.ok(reading.time > first.time);
    abort.abort();
  });

  it("acknowledges bad messages, counts them, logs each topic at most once a minute, and goes on", async () => {
    const rejectedBefore = (await service.metric('meterusage_mqtt_messages_total{result="rejected"}')) ?? 0;
    await publishAll(publisher, "tele/attic/SENSOR", ["not json", { Time: "2024-01-10T00:00:00", ENERGY: {} }, { Time: "yesterday", ENERGY: { Total: 1 } }]);
    await publishAll(publisher, "meters/bad name/1", ["2"]);
    await publishAll(publisher, "tele/attic/SENSOR", [
      { Time: "2024-01-10T00:00:00", ENERGY: { Total: 10 } },
      { Time: "2024-01-10T00:15:00", ENERGY: { Total: 11 } },
      { Time: "2024-01-10T00:30:00", ENERGY: { Total: 12 } },
    ]);
    assertReadings(await readingsOnce(service, "attic", 2), [
      { time: Date.parse("2024-01-10T00:00:00Z"), value: 1 },
      { time: Date.parse("2024-01-10T00:15:00Z"), value: 1 },
    ]);
    assert.equal(await service.metric('meterusage_mqtt_messages_total{result="rejected"}'), rejectedBefore + 4);
    const warnings = service.logEntries.filter((entry) => entry.topic === "tele/attic/SENSOR");
    assert.equal(warnings.length, 1, "one warning a minute for the topic");
    assert.match(String(warnings[0].msg), /the payload is not JSON/);
    assert.ok(service.logEntries.some((entry) => entry.topic === "meters/bad name/1" && /is not a meter name/.test(String(entry.reason))));
  });

  it("ignores redelivered and reordered messages of a register: nothing counts twice", async () => {
    const payloads = [0, 15, 30, 15, 0, 30, 45].map((m, i) => ({
      Time: `2024-02-01T00:${String(m).padStart(2, "0")}:00`,
      ENERGY: { Total: 100 + [0, 1, 2, 1, 0, 2, 3][i] },
    }));
    await publishAll(publisher, "tele/porch/SENSOR", payloads);
    assertReadings(await readingsOnce(service, "porch", 3), [0, 1, 2].map((i) => ({ time: Date.parse("2024-02-01T00:00:00Z") + i * 15 * minute, value: 1 })));
  });
});

describe("MQTT ingest over TLS", { skip: broker.skip }, () => {
  it("subscribes over mqtts:// to a broker whose certificate a private CA signed, keeping the password out of the logs", async () => {
    const folder = temporaryFolder();
    const authority = new TestCertificateAuthority(folder);
    const mosquitto = await startTestBroker([], authority.issue("broker", "0a"));
    const service = await startMqttService(mosquitto.tlsUrl!.replace("mqtts://", "mqtts://meterusage:s3cret@"), map, readFileSync(authority.caFile));
    try {
      await waitFor("the subscription over TLS", () => service.metric("meterusage_mqtt_connected").then((value) => value === 1));
      const publisher = await mosquitto.publisher();
      await publisher.publishAsync("meters/cellar/1", "42", { qos: 1 });
      assert.equal((await readingsOnce(service, "cellar.1", 1))[0].value, 42);
      assert.ok(service.logEntries.some((entry) => /connected to mqtts:\/\/meterusage:\*\*\*@127\.0\.0\.1/.test(String(entry.msg))));
      assert.doesNotMatch(JSON.stringify(service.logEntries), /s3cret/);
    } finally {
      await service.close();
      await mosquitto.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

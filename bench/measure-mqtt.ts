import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import mqtt from "mqtt";
import { MeterUsageService } from "../gen/meterusage/v1/meterusage_pb.js";
import { startChildServer, type ChildServer } from "./child-server.js";
import { builtCli } from "./dist-modules.js";
import { latencyResult, result, type Result } from "./results.js";
import { metricOf } from "../server/test/support/mqtt-service.js";
import { mosquittoProgram, startTestBroker } from "../server/test/support/test-mosquitto.js";

export interface MqttBenchOptions {
  folder: string;
  /** Messages queued for the throughput case. */
  messages: number;
  /** Seconds of the 1,000 messages/s latency case. */
  latencySeconds: number;
  log(message: string): void;
}

const meters = 100;
const map = {
  clientId: "meterusage-bench",
  subscriptions: [
    { topic: "tele/+/SENSOR", meter: "{1}", value: "ENERGY.Total", time: "Time", cumulative: true, interval: "1m", unit: "kWh" },
    { topic: "live/+/power", meter: "{1}", value: "w", time: "t" },
  ],
};

/**
 * MQTT ingest into the SQLite store through a local mosquitto, QoS 1: how many messages a
 * second the service stores, acknowledging each after its commit, and the time from publish
 * to a live follower's reading at 1,000 messages a second.
 */
export async function measureMqtt({ folder, messages, latencySeconds, log }: MqttBenchOptions): Promise<Result[]> {
  const program = mosquittoProgram();
  if (program.skip !== undefined) {
    log(`MQTT not measured: ${program.skip}`);
    return [];
  }
  // The broker lets 1,000 messages wait for the service's acknowledgement, not its default 20,
  // so that one commit can take many: see the README's MQTT section.
  const broker = await startTestBroker(["max_inflight_messages 1000"]);
  const mapFile = join(folder, "mqtt-map.json");
  writeFileSync(mapFile, JSON.stringify(map));
  const serve = () =>
    startChildServer(process.execPath, [builtCli, "serve", "--port", "0", "--host", "127.0.0.1", "--db", join(folder, "mqtt.db"), "--mqtt", broker.url, "--mqtt-map", mapFile]);
  const results: Result[] = [];
  let server: ChildServer | undefined;
  try {
    // The service subscribes once, so the broker keeps its session, then stops: the messages
    // published meanwhile wait in the broker, and the restarted service takes them as fast as
    // it can store them.
    server = await serve();
    await until(async () => (await metricOf(`http://127.0.0.1:${server!.port}`, "meterusage_mqtt_connected")) === 1);
    await server.stop();
    log(`MQTT: queueing ${messages} Tasmota-shaped messages of ${meters} meters`);
    const publisher = await mqtt.connectAsync(broker.url, { clientId: "bench-publisher" });
    const start = Date.parse("2024-01-01T00:00:00Z");
    for (let i = 0; i < messages; i++) {
      const meter = i % meters;
      const step = Math.floor(i / meters);
      const payload = `{"Time":"${new Date(start + step * 10_000).toISOString().slice(0, 19)}","ENERGY":{"TotalStartTime":"2023-01-01T00:00:00","Total":${(1000 + step * 0.01).toFixed(2)},"Yesterday":3.2,"Today":1.1,"Power":1200}}`;
      const sent = publisher.publishAsync(`tele/device-${meter}/SENSOR`, payload, { qos: 1 });
      if (i % 1000 === 999) await sent;
    }
    await publisher.endAsync();
    log("MQTT: the service stores the queued messages");
    server = await serve();
    const baseUrl = `http://127.0.0.1:${server.port}`;
    const handled = async () =>
      ((await metricOf(baseUrl, 'meterusage_mqtt_messages_total{result="stored"}')) ?? 0) +
      ((await metricOf(baseUrl, 'meterusage_mqtt_messages_total{result="ignored"}')) ?? 0);
    // Timed from the first stored message, so that start-up is not counted.
    let first = await until(async () => ((await handled()) > 0 ? [performance.now(), await handled()] : undefined), 5);
    let last = first;
    while (last[1] < messages) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = [performance.now(), await handled()];
    }
    const seconds = (last[0] - first[0]) / 1000;
    const throughput = result(0, "MQTT QoS 1 -> SQLite store, acknowledged after commit", [{ rows: last[1] - first[1], bytes: NaN, seconds, peakRssMb: NaN }], `rows are messages; ${meters} meters, a 1m register each; the broker's max_inflight_messages 1000`);
    throughput.goals.push({ text: `MQTT: >= 20,000 messages/s into the SQLite store (${Math.round(throughput.rowsPerSecond)})`, met: throughput.rowsPerSecond >= 20_000 });
    results.push(throughput);

    log(`MQTT: ${latencySeconds} s at 1,000 messages/s, publish to a follower's reading`);
    results.push(await measureLatency(broker.url, baseUrl, latencySeconds));
  } finally {
    await server?.stop();
    await broker.stop();
  }
  return results;
}

async function measureLatency(brokerUrl: string, baseUrl: string, seconds: number): Promise<Result> {
  const publisher = await mqtt.connectAsync(brokerUrl, { clientId: "bench-live-publisher" });
  // The meter exists before the follow starts.
  const firstTime = Date.now();
  await publisher.publishAsync("live/live-1/power", JSON.stringify({ t: firstTime, w: 0 }), { qos: 1 });
  await until(async () => (await fetch(`${baseUrl}/api/readings?meter=live-1`)).status === 200);
  const abort = new AbortController();
  const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl }));
  const latencies: number[] = [];
  const publishedAt = new Map<number, number>();
  const total = seconds * 1000;
  const follow = (async () => {
    for await (const message of client.streamReadings({ meter: "live-1", follow: true }, { signal: abort.signal })) {
      const now = Date.now();
      for (const reading of message.readings) {
        const published = publishedAt.get(timestampMs(reading.time!));
        if (published !== undefined) latencies.push(now - published);
      }
      if (latencies.length >= total) return;
    }
  })().catch(() => {});
  // A message every millisecond, each with a time of its own, timed from its publishing.
  const started = performance.now();
  let lastTime = firstTime;
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(performance.now() - started));
    for (; sent < due; sent++) {
      lastTime = Math.max(lastTime + 1, Date.now());
      publishedAt.set(lastTime, Date.now());
      publisher.publish("live/live-1/power", `{"t":${lastTime},"w":${sent % 3000}}`, { qos: 1 });
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.race([follow, new Promise((resolve) => setTimeout(resolve, 30_000))]);
  abort.abort();
  await publisher.endAsync();
  latencies.sort((a, b) => a - b);
  const measured = latencyResult(0, "MQTT at 1,000 messages/s: publish to a live follower's reading", latencies, latencies.length, "gRPC h2c follow of one meter");
  measured.goals.push({ text: `MQTT: at 1,000 messages/s, publish to follower p99 < 50 ms (${measured.latency!.p99Ms} ms)`, met: measured.latency!.p99Ms < 50 });
  return measured;
}

async function until<T>(check: () => Promise<T | undefined | false>, pollMs = 100): Promise<T> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error("the MQTT bench gave up waiting");
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}



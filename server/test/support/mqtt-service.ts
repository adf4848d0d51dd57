import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pino } from "pino";
import { startApp, type RunningApp } from "../../src/app.js";
import { parseMqttMap } from "../../src/mqtt/mqtt-map.js";
import { builtPage } from "../../src/package-paths.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { temporaryFolder } from "./test-server.js";

export interface MqttService {
  store: SqliteStore;
  app: RunningApp;
  baseUrl: string;
  logEntries: Record<string, unknown>[];
  /** GET /metrics's value of a series, such as meterusage_mqtt_messages_total{result="stored"}. */
  metric(series: string): Promise<number | undefined>;
  close(): Promise<void>;
}

/** The service in this process over a new SQLite file, subscribed to a broker through a map. */
export async function startMqttService(brokerUrl: string, map: object, ca?: Buffer): Promise<MqttService> {
  const folder = temporaryFolder();
  const store = new SqliteStore(join(folder, "readings.db"));
  const logEntries: Record<string, unknown>[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logEntries.push(JSON.parse(line)) });
  const app = await startApp({ store, staticRoot: builtPage, port: 0, host: "127.0.0.1", logger, mqtt: { url: brokerUrl, ca, map: parseMqttMap(JSON.stringify(map)) } });
  const baseUrl = `http://127.0.0.1:${app.port}`;
  return {
    store,
    app,
    baseUrl,
    logEntries,
    metric: (series) => metricOf(baseUrl, series),
    async close() {
      await app.shutdown();
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export async function metricOf(baseUrl: string, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Waits for a condition, polling, with a bound generous enough for a loaded machine; the failure says what was awaited. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function writeMapFile(folder: string, map: object): string {
  const file = join(folder, "mqtt-map.json");
  writeFileSync(file, JSON.stringify(map));
  return file;
}

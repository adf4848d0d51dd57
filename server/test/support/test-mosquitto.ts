import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";

const candidates = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];

/** Debian's mosquitto, or why the tests that need a broker are skipped. */
export function mosquittoProgram(): { path: string; skip?: undefined } | { path?: undefined; skip: string } {
  const path = candidates.find((candidate) => existsSync(candidate));
  return path === undefined ? { skip: `no MQTT broker: mosquitto is not installed (apt-get install mosquitto; looked in ${candidates.join(", ")})` } : { path };
}

export interface TestBroker {
  url: string;
  port: number;
  /** mqtts:// on a second port, when the broker was given a certificate. */
  tlsUrl?: string;
  /** Stops the broker cleanly (it saves its sessions and queued messages), then starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** A publishing client, connected. */
  publisher(): Promise<MqttClient>;
}

/**
 * A mosquitto of the test's own on a free loopback port, with persistence on in a temporary
 * folder: a restarted broker keeps the sessions and the QoS 1 messages queued for them.
 */
export async function startTestBroker(settings: string[] = [], tls?: { certFile: string; keyFile: string }): Promise<TestBroker> {
  const program = mosquittoProgram();
  if (program.path === undefined) throw new Error(program.skip);
  const folder = mkdtempSync(join(tmpdir(), "meterusage-mosquitto-"));
  const port = await freePort();
  const tlsPort = tls && (await freePort());
  const config = join(folder, "mosquitto.conf");
  writeFileSync(
    config,
    [
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "persistence true",
      `persistence_location ${folder}/`,
      // Started as root, mosquitto would become the user mosquitto, who cannot write the folder.
      `user ${userInfo().username}`,
      "max_queued_messages 1000000",
      "log_dest stdout",
      "log_type error",
      "log_type warning",
      "log_type notice",
      ...settings,
      ...(tls ? [`listener ${tlsPort} 127.0.0.1`, `certfile ${tls.certFile}`, `keyfile ${tls.keyFile}`] : []),
    ].join("\n") + "\n",
  );
  let broker: ChildProcess | undefined;
  const start = async () => {
    const child = spawn(program.path, ["-c", config], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    broker = child;
    // Listening once a client can connect.
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited: ${output}`);
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 0, connectTimeout: 2_000 }).catch(() => undefined);
      if (client !== undefined) {
        await client.endAsync();
        return;
      }
      if (attempt > 200) throw new Error(`mosquitto did not listen on ${port}: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    if (broker === undefined || broker.exitCode !== null) return;
    const exited = once(broker, "exit");
    broker.kill("SIGTERM");
    await exited;
  };
  await start();
  const publishers: MqttClient[] = [];
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    tlsUrl: tls && `mqtts://127.0.0.1:${tlsPort}`,
    async restart() {
      await stop();
      await start();
    },
    async stop() {
      await Promise.all(publishers.map((client) => client.endAsync(true)));
      await stop();
      rmSync(folder, { recursive: true, force: true });
    },
    async publisher() {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { reconnectPeriod: 500 });
      publishers.push(client);
      return client;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

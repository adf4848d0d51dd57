import { setTimeout as delay } from "node:timers/promises";
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from "mqtt";
import type { Registry } from "prom-client";
import type { Logger } from "../observability/logger.js";
import { ReadingConflictError } from "../store/reading-conflict-error.js";
import type { Lease, MeterSettings, ReadingStore } from "../store/reading-store.js";
import { decodeMessage, type DecodedMessage } from "./decoded-message.js";
import { IngestState, type Outcome } from "./ingest-state.js";
import type { MqttMap } from "./mqtt-map.js";
import { MqttMetrics } from "./mqtt-metrics.js";
import { Throttle } from "./throttled-log.js";

export interface MqttIngestOptions {
  /** mqtt:// or mqtts://, with any user and password in it. */
  url: string;
  /** PEM certificates of a private certificate authority, for mqtts://. */
  ca?: Buffer;
  map: MqttMap;
  store: ReadingStore;
  registry: Registry;
  logger: Logger;
}

export interface MqttIngest {
  /** Commits what is under way, acknowledges it, and disconnects; what is left the broker keeps. */
  stop(): Promise<void>;
}

/** Most messages one transaction stores. */
const mostPerBatch = 10_000;
const firstRetryMs = 1_000;
const lastRetryMs = 30_000;

interface Received {
  packet: IPublishPacket;
  arrived: number;
  /** The connection it came on: an acknowledgement belongs to that connection only. */
  connection: number;
  /** What the map made of it, once read; false when it could not be read. */
  decoded?: DecodedMessage | false;
}

/**
 * Passed to the client's handleMessage callback to skip its automatic PUBACK; one object for
 * all messages, since making an error captures a stack trace.
 */
const acknowledgedAfterCommit = new Error("acknowledged after commit");

/** The client's own method for sending a packet, which its handlers use to acknowledge. */
type PacketSender = { _sendPacket(packet: { cmd: "puback"; messageId: number }): void };

/**
 * Subscribes to the map's topics with QoS 1 in a persistent session (clean: false and the
 * map's clientId), so the broker keeps what is published while the service is down, and
 * stores each message's readings. A message is acknowledged only after the transaction
 * holding its readings, and the register state they lead to, has committed; messages that
 * arrive while one transaction commits are stored together by the next, so the rate is not
 * bounded by one commit a message. On PostgreSQL, one process of those sharing the database
 * subscribes; the others stand by until it stops.
 */
export function startMqttIngest(options: MqttIngestOptions): MqttIngest {
  const { map, store, logger } = options;
  const metrics = new MqttMetrics(options.registry);
  const stopping = new AbortController();
  const shownUrl = withoutPassword(options.url);
  const badMessages = new Throttle(60_000);
  const subscriptionTopics = map.subscriptions.map((subscription) => subscription.topic.filter);

  let client: MqttClient | undefined;
  let state: IngestState | undefined;
  let knownMeters = new Set<string>();
  let connection = 0;
  let queue: Received[] = [];
  let flushing: Promise<void> | undefined;

  const acknowledge = (received: Received[]) => {
    if (client === undefined || !client.connected) return;
    // One write for a batch's acknowledgements rather than one a message.
    const stream = client.stream;
    stream.cork();
    for (const { packet, connection: on } of received) {
      // A connection that dropped took its unacknowledged messages back: the broker sends them again.
      if (on !== connection || packet.qos === 0 || packet.messageId === undefined) continue;
      (client as unknown as PacketSender)._sendPacket({ cmd: "puback", messageId: packet.messageId });
    }
    process.nextTick(() => stream.uncork());
  };

  /** A message read through the map, once, though its batch may be stored again after a failure. */
  const decoded = (received: Received): DecodedMessage | undefined => {
    if (received.decoded !== undefined) return received.decoded || undefined;
    const { packet, arrived } = received;
    const decoding = decodeMessage(map.subscriptions, packet.topic, packet.payload as Buffer, arrived);
    received.decoded = decoding.ok && decoding.message;
    if (decoding.ok) return decoding.message;
    metrics.messages.inc({ result: "rejected" });
    const held = badMessages.pass(packet.topic, arrived);
    if (held !== undefined) {
      logger.warn({ topic: packet.topic, reason: decoding.reason, heldBack: held }, `MQTT: a message on ${packet.topic} was not stored: ${decoding.reason}`);
    }
    return undefined;
  };

  /** Stores one batch in one transaction; answers each readable message's outcome. */
  const storeMessages = async (messages: DecodedMessage[]): Promise<Outcome[]> => {
    const plan = state!.plan(messages);
    // Meters the append creates get the unit and zone of the subscription that named them.
    const newMeterSettings = new Map<string, MeterSettings>();
    for (const { meter, subscription } of messages) {
      if (!knownMeters.has(meter) && !newMeterSettings.has(meter)) newMeterSettings.set(meter, { unit: subscription.unit, timeZone: subscription.meterTimeZone });
    }
    await store.appendReadings(plan.readings, { registers: plan.registers, newMeterSettings });
    plan.commit();
    for (const meter of newMeterSettings.keys()) knownMeters.add(meter);
    for (const { meter, from, to } of plan.resets) {
      metrics.resets.inc({ meter });
      logger.warn({ meter, from, to }, `MQTT: the register of ${meter} went down from ${from} to ${to}: counted as a reset, adding ${to}`);
    }
    return plan.outcomes;
  };

  const storeBatch = async (received: Received[]): Promise<void> => {
    const readable = received.map(decoded).filter((message): message is DecodedMessage => message !== undefined);
    let outcomes: Outcome[];
    try {
      outcomes = await storeMessages(readable);
    } catch (error) {
      if (!(error instanceof ReadingConflictError)) throw error;
      // Some message's reading takes a stored time with another value: store the others one by one.
      outcomes = [];
      for (const message of readable) {
        try {
          outcomes.push(...(await storeMessages([message])));
        } catch (single) {
          if (!(single instanceof ReadingConflictError)) throw single;
          outcomes.push("ignored");
          logger.warn({ meter: message.meter }, `MQTT: ${single.message}`);
        }
      }
    }
    for (const outcome of outcomes) metrics.messages.inc({ result: outcome });
  };

  const flush = async () => {
    let retryMs = firstRetryMs;
    while (queue.length > 0) {
      const batch = queue.slice(0, mostPerBatch);
      try {
        await storeBatch(batch);
      } catch (error) {
        // The database is away or refused the write: nothing was acknowledged, so try again later.
        if (stopping.signal.aborted) return;
        logger.error({ err: error }, `MQTT: could not store ${batch.length} messages; trying again in ${retryMs / 1000} s`);
        await sleep(retryMs, stopping.signal);
        retryMs = Math.min(retryMs * 2, lastRetryMs);
        if (stopping.signal.aborted) return;
        continue;
      }
      retryMs = firstRetryMs;
      queue = queue.slice(batch.length);
      acknowledge(batch);
      // SQLite commits synchronously, so nothing was read from the broker meanwhile: let the
      // socket be read before the next batch, which then holds all that arrived.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const scheduleFlush = () => {
    flushing ??= flush().finally(() => {
      flushing = undefined;
      if (queue.length > 0 && !stopping.signal.aborted) scheduleFlush();
    });
  };

  const subscribe = (lease: Lease) => {
    metrics.subscribing.set(1);
    const clientOptions: IClientOptions = {
      clientId: map.clientId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: firstRetryMs,
      connectTimeout: 10_000,
      keepalive: 30,
      ca: options.ca,
      resubscribe: false,
      // Its debug log formats a line for every packet, even when nobody reads it.
      log: () => {},
    };
    const subscriber = mqtt.connect(options.url, clientOptions);
    client = subscriber;
    // Takes each message without acknowledging it: passing an error skips the client's
    // automatic PUBACK and lets it read on, and acknowledge() sends it once it is committed.
    subscriber.handleMessage = (packet, callback) => {
      if (stopping.signal.aborted || lease.lost.aborted) return callback(acknowledgedAfterCommit);
      queue.push({ packet, arrived: Date.now(), connection });
      scheduleFlush();
      callback(acknowledgedAfterCommit);
    };
    subscriber.on("connect", (connack) => {
      metrics.connected.set(1);
      subscriber.options.reconnectPeriod = firstRetryMs;
      logger.info(
        { broker: shownUrl, clientId: map.clientId, sessionPresent: connack.sessionPresent },
        `MQTT: connected to ${shownUrl} as ${map.clientId}${connack.sessionPresent ? ", session resumed" : ", new session"}`,
      );
      subscriber.subscribe(Object.fromEntries(subscriptionTopics.map((topic) => [topic, { qos: 1 as const }])), (error, granted) => {
        if (error) logger.error({ err: error }, `MQTT: subscribing failed: ${error.message}`);
        const refused = (granted ?? []).filter((grant) => grant.qos === 128).map((grant) => grant.topic);
        if (refused.length > 0) logger.error({ topics: refused }, `MQTT: the broker refused the subscription to ${refused.join(", ")}`);
      });
    });
    subscriber.on("close", () => {
      connection++;
      metrics.connected.set(0);
    });
    subscriber.on("offline", () => {
      if (stopping.signal.aborted) return;
      logger.warn({ broker: shownUrl }, `MQTT: not connected to ${shownUrl}; trying again in ${subscriber.options.reconnectPeriod! / 1000} s`);
    });
    subscriber.on("reconnect", () => {
      subscriber.options.reconnectPeriod = Math.min(subscriber.options.reconnectPeriod! * 2, lastRetryMs);
    });
    subscriber.on("error", (error) => logger.warn({ broker: shownUrl, err: error }, `MQTT: ${error.message}`));
    return subscriber;
  };

  const run = async () => {
    for (;;) {
      metrics.subscribing.set(0);
      const lease = await store.subscriberLease(stopping.signal);
      if (lease === undefined) return;
      try {
        const meters = await store.meters();
        knownMeters = new Set(meters.map((meter) => meter.name));
        state = new IngestState(await store.registers(), new Map(meters.flatMap((meter) => (meter.lastTime === undefined ? [] : [[meter.name, meter.lastTime]]))));
      } catch (error) {
        logger.error({ err: error }, "MQTT: could not read the register states; trying again");
        await lease.release();
        await sleep(firstRetryMs, stopping.signal);
        continue;
      }
      const subscriber = subscribe(lease);
      await new Promise<void>((resolve) => {
        if (stopping.signal.aborted || lease.lost.aborted) return resolve();
        stopping.signal.addEventListener("abort", () => resolve(), { once: true });
        lease.lost.addEventListener("abort", () => resolve(), { once: true });
      });
      if (lease.lost.aborted && !stopping.signal.aborted) {
        logger.warn("MQTT: lost the database connection that made this process the subscriber; standing by");
      }
      await flushing;
      await endClient(subscriber);
      client = undefined;
      queue = [];
      metrics.connected.set(0);
      await lease.release();
      if (stopping.signal.aborted) return;
    }
  };

  logger.info({ broker: shownUrl, topics: subscriptionTopics }, `MQTT: subscribing to ${subscriptionTopics.join(", ")} at ${shownUrl}`);
  const running = run().catch((error) => logger.error({ err: error }, "MQTT: the subscription stopped"));
  return {
    async stop() {
      stopping.abort();
      await running;
      metrics.subscribing.set(0);
    },
  };
}

async function endClient(client: MqttClient): Promise<void> {
  // A broker that is away cannot be told goodbye: give it a moment, then just close.
  const timeout = setTimeout(() => client.end(true), 3_000);
  await client.endAsync().catch(() => client.end(true));
  clearTimeout(timeout);
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(the MQTT URL)";
  }
}

/** Waits, or less when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => {});
}

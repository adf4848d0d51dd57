import { checkTimeZone } from "../usage/time-zone.js";
import { TopicFilter, topicFilterProblem } from "./topic-filter.js";

/** How a topic's messages become readings. */
export interface Subscription {
  topic: TopicFilter;
  /** The meter name, with `{n}` standing for what the topic's n-th `+` matched. */
  meter: string;
  /** Dotted paths into the payload whose numbers are added up ("$" for a bare number). */
  value: string[];
  /** A dotted path to the message's time; absent: the time it arrives. */
  time?: string;
  timeZone: string;
  cumulative: boolean;
  /** Interval milliseconds, for a cumulative register. */
  interval?: number;
  scale: number;
  /** Set on meters this subscription creates; without them, a new meter has serve's defaults. */
  unit?: string;
  meterTimeZone?: string;
}

export interface MqttMap {
  clientId: string;
  subscriptions: Subscription[];
}

/** A map file, CA file or broker URL that cannot be used; the message names which and why. */
export class MqttConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MqttConfigError";
  }
}

export const intervals: Record<string, number> = { "1m": 60_000, "5m": 300_000, "10m": 600_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000 };

const subscriptionFields = ["topic", "meter", "value", "time", "timeZone", "cumulative", "interval", "scale", "unit"];
const meterTemplatePattern = /^(?:[A-Za-z0-9._:-]|\{\d+\})+$/;

/** Reads and checks a map file's JSON; every problem names the subscription and the field. */
export function parseMqttMap(text: string): MqttMap {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MqttConfigError(`it is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) throw new MqttConfigError('it must be a JSON object with "clientId" and "subscriptions"');
  const unknown = Object.keys(json).filter((key) => key !== "clientId" && key !== "subscriptions");
  if (unknown.length > 0) throw new MqttConfigError(`unknown field ${JSON.stringify(unknown[0])}: the map has "clientId" and "subscriptions"`);
  const { clientId, subscriptions } = json;
  if (typeof clientId !== "string" || !/^[\x21-\x7e]{1,64}$/.test(clientId)) {
    throw new MqttConfigError('"clientId" must be 1 to 64 printable characters without spaces, the same every start, so the broker keeps the session');
  }
  if (!Array.isArray(subscriptions) || subscriptions.length === 0) throw new MqttConfigError('"subscriptions" must be a list of one or more subscriptions');
  return { clientId, subscriptions: subscriptions.map((entry, i) => parseSubscription(entry, i + 1)) };
}

function parseSubscription(entry: unknown, number: number): Subscription {
  const where = isObject(entry) && typeof entry.topic === "string" ? `subscription ${number} (${entry.topic})` : `subscription ${number}`;
  const fail = (field: string, problem: string): never => {
    throw new MqttConfigError(`${where}: "${field}" ${problem}`);
  };
  if (!isObject(entry)) throw new MqttConfigError(`${where} must be a JSON object`);
  for (const key of Object.keys(entry)) {
    if (!subscriptionFields.includes(key)) fail(key, `is not a field of a subscription (${subscriptionFields.join(", ")})`);
  }
  if (typeof entry.topic !== "string") return fail("topic", "is required: an MQTT topic filter such as tele/+/SENSOR");
  const topicProblem = topicFilterProblem(entry.topic);
  if (topicProblem !== undefined) fail("topic", `${topicProblem}: it must be an MQTT topic filter such as tele/+/SENSOR`);
  const topic = new TopicFilter(entry.topic);

  if (typeof entry.meter !== "string" || !meterTemplatePattern.test(entry.meter) || entry.meter.length > 128) {
    fail("meter", "must be a meter name of letters, digits and ._:- in which {1}, {2}... stand for the topic's + levels");
  }
  const meter = entry.meter as string;
  for (const [, n] of meter.matchAll(/\{(\d+)\}/g)) {
    if (Number(n) < 1 || Number(n) > topic.wildcards) fail("meter", `uses {${n}}, but the topic has ${topic.wildcards} + level${topic.wildcards === 1 ? "" : "s"}`);
  }

  const paths = typeof entry.value === "string" ? [entry.value] : entry.value;
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((path) => typeof path === "string" && isPath(path))) {
    fail("value", 'must be a dotted path into the JSON payload such as "ENERGY.Total", "$" for a bare number, or a list of paths to add up');
  }
  if (entry.time !== undefined && (typeof entry.time !== "string" || entry.time === "$" || !isPath(entry.time))) {
    fail("time", 'must be a dotted path into the JSON payload such as "Time"; leave it out to use the time a message arrives');
  }
  let timeZone = "UTC";
  if (entry.timeZone !== undefined) {
    if (typeof entry.timeZone !== "string") fail("timeZone", "must be an IANA time zone such as Europe/London");
    try {
      timeZone = checkTimeZone(entry.timeZone as string, "timeZone");
    } catch {
      fail("timeZone", `${JSON.stringify(entry.timeZone)} is not an IANA time zone such as Europe/London`);
    }
  }
  if (entry.cumulative !== undefined && typeof entry.cumulative !== "boolean") fail("cumulative", "must be true or false");
  const cumulative = entry.cumulative === true;
  let interval: number | undefined;
  if (cumulative) {
    if (entry.interval === undefined) fail("interval", `is required for a cumulative register: one of ${Object.keys(intervals).join(", ")}`);
    interval = intervals[entry.interval as string];
    if (typeof entry.interval !== "string" || interval === undefined) {
      fail("interval", `must be one of ${Object.keys(intervals).join(", ")}, not ${JSON.stringify(entry.interval)}`);
    }
  } else if (entry.interval !== undefined) {
    fail("interval", "applies only to a cumulative register (\"cumulative\": true)");
  }
  if (entry.scale !== undefined && (typeof entry.scale !== "number" || !Number.isFinite(entry.scale) || entry.scale <= 0)) {
    fail("scale", "must be a positive number that multiplies the value, such as 0.001 for Wh to kWh");
  }
  if (entry.unit !== undefined && (typeof entry.unit !== "string" || entry.unit.length > 32)) fail("unit", "must be text of at most 32 characters, such as kWh");
  return {
    topic,
    meter,
    value: paths as string[],
    time: entry.time as string | undefined,
    timeZone,
    cumulative,
    interval,
    scale: (entry.scale as number | undefined) ?? 1,
    unit: entry.unit as string | undefined,
    meterTimeZone: entry.timeZone === undefined ? undefined : timeZone,
  };
}

function isPath(path: string): boolean {
  return path === "$" || (path !== "" && path.split(".").every((key) => key !== ""));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

import { isMeterName } from "../meters/meter-name.js";
import type { Subscription } from "./mqtt-map.js";
import { messageInstants } from "./message-time.js";
import { finiteNumber, valueAt } from "./payload-path.js";
import { fillMeterName } from "./topic-filter.js";

/** A message read through its subscription: a meter, a value and the instants its time may mean. */
export interface DecodedMessage {
  subscription: Subscription;
  meter: string;
  value: number;
  /** One instant, or a fall-back local time's two, earlier first. */
  instants: number[];
}

export type Decoding = { ok: true; message: DecodedMessage } | { ok: false; reason: string };

/**
 * Reads a message by the first subscription whose topic filter matches its topic. Every
 * failure says what was wrong, for the log.
 */
export function decodeMessage(subscriptions: Subscription[], topic: string, payload: Buffer, arrived: number): Decoding {
  for (const subscription of subscriptions) {
    const matched = subscription.topic.match(topic);
    if (matched === undefined) continue;
    const meter = fillMeterName(subscription.meter, matched);
    if (!isMeterName(meter)) return fail(`the meter name ${JSON.stringify(meter)} made from the topic is not a meter name (1 to 128 letters, digits or ._:-)`);
    const text = payload.toString("utf8");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return fail(`the payload is not JSON${subscription.value.includes("$") ? " nor a bare number" : ""}: ${excerpt(text)}`);
    }
    let value = 0;
    for (const path of subscription.value) {
      const found = valueAt(json, path);
      if (found === undefined) return fail(`the payload has no ${path === "$" ? "value" : `"${path}"`}`);
      const number = finiteNumber(found);
      if (number === undefined) return fail(`${path === "$" ? "the payload" : `"${path}"`} is not a finite number: ${excerpt(JSON.stringify(found))}`);
      value += number;
    }
    let instants = [arrived];
    if (subscription.time !== undefined) {
      const found = valueAt(json, subscription.time);
      if (found === undefined) return fail(`the payload has no "${subscription.time}"`);
      const read = messageInstants(found, subscription.timeZone);
      if (read === undefined) return fail(`"${subscription.time}" is not a time (RFC 3339, a local time, or epoch seconds): ${excerpt(JSON.stringify(found))}`);
      instants = read;
    }
    return { ok: true, message: { subscription, meter, value: value * subscription.scale, instants } };
  }
  return fail("no subscription of the map matches the topic");
}

function fail(reason: string): Decoding {
  return { ok: false, reason };
}

function excerpt(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

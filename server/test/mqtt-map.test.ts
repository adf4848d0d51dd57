import assert from "node:assert/strict";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { messageInstants } from "../src/mqtt/message-time.js";
import { MqttConfigError, parseMqttMap } from "../src/mqtt/mqtt-map.js";
import { fillMeterName, TopicFilter } from "../src/mqtt/topic-filter.js";
import { meterusage } from "./support/meterusage-command.js";
import { writeMapFile } from "./support/mqtt-service.js";
import { temporaryFolder } from "./support/test-server.js";

const good = { topic: "tele/+/SENSOR", meter: "{1}", value: "ENERGY.Total", time: "Time", timeZone: "Europe/London", cumulative: true, interval: "15m" };

function problem(map: unknown): string {
  try {
    parseMqttMap(JSON.stringify(map));
  } catch (error) {
    assert.ok(error instanceof MqttConfigError);
    return error.message;
  }
  assert.fail("the map was accepted");
}

describe("the MQTT map file", () => {
  it("reads the issue's example", () => {
    const map = parseMqttMap(
      JSON.stringify({
        clientId: "meterusage-1",
        subscriptions: [
          { ...good, unit: "kWh" },
          { topic: "shellies/+/em1data/0", meter: "shelly-{1}", value: "total_act_energy", cumulative: true, scale: 0.001, interval: "30m", unit: "kWh" },
          { topic: "meters/+/+", meter: "{1}.{2}", value: "$" },
        ],
      }),
    );
    assert.equal(map.clientId, "meterusage-1");
    assert.deepEqual(
      map.subscriptions.map((s) => [s.topic.filter, s.meter, s.value, s.cumulative, s.interval, s.scale, s.timeZone, s.unit, s.meterTimeZone]),
      [
        ["tele/+/SENSOR", "{1}", ["ENERGY.Total"], true, 900_000, 1, "Europe/London", "kWh", "Europe/London"],
        ["shellies/+/em1data/0", "shelly-{1}", ["total_act_energy"], true, 1_800_000, 0.001, "UTC", "kWh", undefined],
        ["meters/+/+", "{1}.{2}", ["$"], false, undefined, 1, "UTC", undefined, undefined],
      ],
    );
  });

  it("refuses a bad map, naming the subscription and the field", () => {
    const map = (subscription: object) => ({ clientId: "c", subscriptions: [good, subscription] });
    assert.match(problem(map({ ...good, interval: "20m" })), /^subscription 2 \(tele\/\+\/SENSOR\): "interval" must be one of 1m, 5m, 10m, 15m, 30m, 1h, not "20m"$/);
    assert.match(problem(map({ ...good, interval: undefined })), /^subscription 2 \(tele\/\+\/SENSOR\): "interval" is required for a cumulative register/);
    assert.match(problem(map({ ...good, meter: "{2}" })), /^subscription 2 \(tele\/\+\/SENSOR\): "meter" uses \{2\}, but the topic has 1 \+ level$/);
    assert.match(problem(map({ ...good, meter: "a b" })), /"meter" must be a meter name/);
    assert.match(problem(map({ ...good, topic: "a/#/b" })), /^subscription 2 \(a\/#\/b\): "topic" has # before its last level/);
    assert.match(problem(map({ ...good, timeZone: "Mars/Olympus" })), /"timeZone" "Mars\/Olympus" is not an IANA time zone/);
    assert.match(problem(map({ ...good, scale: -1 })), /"scale" must be a positive number/);
    assert.match(problem(map({ ...good, value: "" })), /"value" must be a dotted path/);
    assert.match(problem(map({ ...good, vaule: "x" })), /^subscription 2 \(tele\/\+\/SENSOR\): "vaule" is not a field of a subscription/);
    assert.match(problem(map({ topic: "x", meter: "m", value: "$", interval: "15m" })), /"interval" applies only to a cumulative register/);
    assert.match(problem({ subscriptions: [good] }), /"clientId" must be/);
    assert.match(problem({ clientId: "c", subscriptions: [] }), /"subscriptions" must be a list of one or more/);
  });

  it("stops start-up naming the file, the subscription and the field, before creating a database", () => {
    const folder = temporaryFolder();
    try {
      const mapFile = writeMapFile(folder, { clientId: "c", subscriptions: [{ ...good, cumulative: "yes" }] });
      const db = join(folder, "readings.db");
      const result = meterusage("serve", "--port", "0", "--db", db, "--mqtt", "mqtt://127.0.0.1:1", "--mqtt-map", mapFile);
      assert.equal(result.status, 1);
      assert.equal(result.stderr.trim(), `meterusage: the MQTT map ${mapFile}: subscription 1 (tele/+/SENSOR): "cumulative" must be true or false`);
      assert.equal(existsSync(db), false);
      const noMap = meterusage("serve", "--port", "0", "--db", db, "--mqtt", "mqtt://127.0.0.1:1");
      assert.match(noMap.stderr, /--mqtt needs --mqtt-map FILE/);
      const badUrl = meterusage("serve", "--port", "0", "--db", db, "--mqtt", "http://broker", "--mqtt-map", mapFile);
      assert.match(badUrl.stderr, /--mqtt must be a broker URL such as mqtt:\/\//);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe("topics and meter names", () => {
  it("matches + and # levels and fills {n} with what each + matched", () => {
    const filter = new TopicFilter("meters/+/+");
    assert.deepEqual(filter.match("meters/flat/1"), ["flat", "1"]);
    assert.equal(filter.match("meters/flat"), undefined);
    assert.equal(filter.match("meters/flat/1/extra"), undefined);
    assert.deepEqual(new TopicFilter("home/+/#").match("home/kitchen/a/b"), ["kitchen"]);
    assert.deepEqual(new TopicFilter("home/#").match("home"), []);
    assert.equal(new TopicFilter("+/x").match("$SYS/x"), undefined);
    assert.equal(fillMeterName("{1}.{2}", ["flat", "1"]), "flat.1");
  });
});

describe("message times", () => {
  it("reads RFC 3339, epoch seconds and milliseconds, and local times in the zone", () => {
    assert.deepEqual(messageInstants("2024-03-31T01:59:50+01:00", "UTC"), [Date.parse("2024-03-31T00:59:50Z")]);
    assert.deepEqual(messageInstants(1717236000, "UTC"), [1717236000_000]);
    assert.deepEqual(messageInstants(1717236000_123, "UTC"), [1717236000_123]);
    assert.deepEqual(messageInstants("2024-06-01T10:00:00", "Asia/Kathmandu"), [Date.parse("2024-06-01T04:15:00Z")]);
    assert.equal(messageInstants("2024-02-30T10:00:00", "UTC"), undefined);
    assert.equal(messageInstants("yesterday", "UTC"), undefined);
  });

  it("gives a repeated fall-back local time both instants, earlier first, and a skipped spring one the instant after the change", () => {
    assert.deepEqual(messageInstants("2024-10-27T01:30:00", "Europe/London"), [Date.parse("2024-10-27T00:30:00Z"), Date.parse("2024-10-27T01:30:00Z")]);
    assert.deepEqual(messageInstants("2024-03-31T01:30:00", "Europe/London"), [Date.parse("2024-03-31T01:30:00Z")]);
  });
});

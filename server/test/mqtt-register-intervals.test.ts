import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { advanceRegister, recentValuesKept, type RegisterMessage } from "../src/mqtt/register-intervals.js";
import type { Reading } from "../src/readings/reading.js";
import type { RegisterState } from "../src/store/register-state.js";

const minute = 60_000;

/** Feeds messages one by one, as the subscriber does, optionally through a save and a reload. */
function streamed(messages: RegisterMessage[], interval: number): { readings: Reading[]; resets: number } {
  let state: RegisterState | undefined;
  const readings: Reading[] = [];
  let resets = 0;
  for (const message of messages) {
    const step = advanceRegister(state, "m", message, interval);
    if (step.kind === "ignored") continue;
    // Through JSON, as a stored state comes back after a restart.
    state = JSON.parse(JSON.stringify(step.state)) as RegisterState;
    readings.push(...step.readings);
    if (step.reset) resets++;
  }
  return { readings, resets };
}

/** The rule by its definition: accepted messages, then each whole interval's share of every step. */
function bruteForce(messages: RegisterMessage[], interval: number): Reading[] {
  const accepted: RegisterMessage[] = [];
  let recent: number[] = [];
  for (const message of messages) {
    const newest = accepted.at(-1);
    if (newest !== undefined && message.time <= newest.time) continue;
    if (newest !== undefined && message.value !== newest.value && recent.includes(message.value)) continue;
    accepted.push(message);
    if (recent.at(-1) !== message.value) recent = [...recent, message.value].slice(-recentValuesKept);
  }
  if (accepted.length === 0) return [];
  const steps = accepted.slice(1).map((message, i) => {
    const before = accepted[i];
    return { from: before.time, to: message.time, increase: message.value >= before.value ? message.value - before.value : message.value };
  });
  const readings: Reading[] = [];
  const last = accepted[accepted.length - 1].time;
  for (let start = Math.ceil(accepted[0].time / interval) * interval; start + interval <= last; start += interval) {
    let value = 0;
    for (const { from, to, increase } of steps) {
      const overlap = Math.min(to, start + interval) - Math.max(from, start);
      if (overlap > 0) value += (increase * overlap) / (to - from);
    }
    readings.push({ time: start, value });
  }
  return readings;
}

function assertClose(actual: Reading[], expected: Reading[]): void {
  assert.deepEqual(actual.map((r) => r.time), expected.map((r) => r.time));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i].value!;
    const e = expected[i].value!;
    assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `interval ${new Date(actual[i].time).toISOString()}: ${a} vs ${e}`);
  }
}

/** A register's messages: mostly rising, with gaps longer than an interval, resets, repeats and reordering. */
const messageSequences = fc
  .array(
    fc.record({
      gap: fc.oneof(fc.integer({ min: 0, max: 20 * minute }), fc.integer({ min: 0, max: 6 * 60 * minute })),
      rise: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 50, noNaN: true })),
      event: fc.constantFrom("rise", "rise", "rise", "rise", "reset", "repeat", "earlier", "redelivery"),
    }),
    { maxLength: 60 },
  )
  .map((steps) => {
    let time = Date.parse("2024-03-30T22:03:17Z") + 7;
    let value = 1000;
    const messages: RegisterMessage[] = [];
    for (const { gap, rise, event } of steps) {
      const previous = messages.at(-1);
      if (event === "repeat" && previous) messages.push({ ...previous });
      else if (event === "earlier" && previous) messages.push({ time: previous.time - gap - 1, value: value + rise });
      else if (event === "redelivery" && messages.length > 1) messages.push({ time: (time += gap + 1), value: messages[messages.length - 2].value });
      else {
        time += gap;
        value = event === "reset" ? rise : value + rise;
        messages.push({ time, value });
      }
    }
    return messages;
  });

describe("a cumulative register turned into interval readings", () => {
  it("matches the brute-force definition over random message sequences, for every interval", () => {
    fc.assert(
      fc.property(messageSequences, fc.constantFrom(1, 5, 10, 15, 30, 60), (messages, minutes) => {
        assertClose(streamed(messages, minutes * minute).readings, bruteForce(messages, minutes * minute));
      }),
      { numRuns: 500 },
    );
  });

  it("shares a step among the intervals it spans in proportion to time, from the first whole interval", () => {
    const at = (text: string) => Date.parse(`2024-01-01T${text}Z`);
    const { readings } = streamed(
      [
        { time: at("00:05:00"), value: 10 },
        { time: at("00:15:00"), value: 11 }, // before the first whole interval starts: not counted
        { time: at("00:45:00"), value: 14 }, // 3 over 30 minutes: 1.5 in 00:15, 1.5 in 00:30 (not yet complete)
        { time: at("01:15:00"), value: 14 },
      ],
      15 * minute,
    );
    assertClose(readings, [
      { time: at("00:15:00"), value: 1.5 },
      { time: at("00:30:00"), value: 1.5 },
      { time: at("00:45:00"), value: 0 },
      { time: at("01:00:00"), value: 0 },
    ]);
  });

  it("counts a register that goes down as a reset: the step adds the new value, never a negative one", () => {
    const at = (text: string) => Date.parse(`2024-01-01T${text}Z`);
    const { readings, resets } = streamed(
      [
        { time: at("00:00:00"), value: 500 },
        { time: at("00:15:00"), value: 502 },
        { time: at("00:30:00"), value: 1 },
        { time: at("00:45:00"), value: 3 },
      ],
      15 * minute,
    );
    assert.equal(resets, 1);
    assertClose(readings, [
      { time: at("00:00:00"), value: 2 },
      { time: at("00:15:00"), value: 1 },
      { time: at("00:30:00"), value: 2 },
    ]);
  });

  it("ignores a message not after the newest, and a recent value again, so redelivery never counts twice", () => {
    const at = (text: string) => Date.parse(`2024-01-01T${text}Z`);
    const messages = [
      { time: at("00:00:00"), value: 100 },
      { time: at("00:10:00"), value: 105 },
      { time: at("00:20:00"), value: 110 },
    ];
    const redelivered = [...messages, messages[1], { time: at("00:21:00"), value: 105 }, { time: at("00:22:00"), value: 110 }, { time: at("00:30:00"), value: 111 }];
    assertClose(streamed(redelivered, 15 * minute).readings, streamed([...messages, { time: at("00:30:00"), value: 111 }], 15 * minute).readings);
  });
});

import type { Reading } from "../readings/reading.js";
import type { RegisterState } from "../store/register-state.js";

/** How many recent register values a meter remembers to recognise a redelivered message. */
export const recentValuesKept = 8;

export interface RegisterMessage {
  time: number;
  value: number;
}

export type RegisterStep =
  | { kind: "ignored"; reason: string }
  | { kind: "advanced"; state: RegisterState; readings: Reading[]; reset: boolean };

/**
 * One message of a cumulative register, against where the register stood (undefined before
 * its first message), as interval readings. Intervals are `interval` milliseconds long and
 * aligned to multiples of it from the Unix epoch; each reading is the register's increase over
 * [b, b + interval), stored at b. Between consecutive messages the register is taken to rise
 * linearly, so an increase is shared among the intervals it spans in proportion to time. The
 * first interval is the first whole one starting at or after the first message; an interval
 * is complete, and read, once a message at or after its end arrives.
 *
 * A message not after the newest is ignored (a redelivery or a reordering), and so is one
 * whose value is a recent one other than the newest (a redelivery timed at its arrival). A
 * register that goes down was reset or replaced: that step's increase is the new value.
 */
export function advanceRegister(state: RegisterState | undefined, meter: string, message: RegisterMessage, interval: number): RegisterStep {
  if (state === undefined) {
    return {
      kind: "advanced",
      state: {
        meter,
        time: message.time,
        value: message.value,
        intervalStart: Math.ceil(message.time / interval) * interval,
        pending: 0,
        recent: [message.value],
      },
      readings: [],
      reset: false,
    };
  }
  if (message.time <= state.time) return { kind: "ignored", reason: "not after the newest message of the meter" };
  if (message.value !== state.value && state.recent.includes(message.value)) {
    return { kind: "ignored", reason: "a register value the meter reported just before" };
  }
  const reset = message.value < state.value;
  const increase = reset ? message.value : message.value - state.value;
  const from = state.time;
  const to = message.time;
  const readings: Reading[] = [];
  let start = state.intervalStart;
  let pending = state.pending;
  // The part of the step inside [a, b), of an increase spread evenly over [from, to).
  const share = (a: number, b: number) => (increase === 0 || b <= a ? 0 : (increase * (b - a)) / (to - from));
  for (; start + interval <= to; start += interval) {
    pending += share(Math.max(start, from), start + interval);
    readings.push({ time: start, value: pending });
    pending = 0;
  }
  pending += share(Math.max(start, from), to);
  const recent = state.recent[state.recent.length - 1] === message.value ? state.recent : [...state.recent, message.value].slice(-recentValuesKept);
  return {
    kind: "advanced",
    state: { meter, time: to, value: message.value, intervalStart: start, pending, recent },
    readings,
    reset,
  };
}

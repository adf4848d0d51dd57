import type { Reading } from "../readings/reading.js";
import type { MeterReadings } from "../store/reading-store.js";
import type { RegisterState } from "../store/register-state.js";
import type { DecodedMessage } from "./decoded-message.js";
import { chooseInstant } from "./message-time.js";
import { advanceRegister } from "./register-intervals.js";

export type Outcome = "stored" | "ignored";

/** What a batch of messages comes to, before it is committed. */
export interface BatchPlan {
  readings: MeterReadings[];
  /** The registers the batch moved, to save in the readings' transaction. */
  registers: RegisterState[];
  outcomes: Outcome[];
  /** Meters whose register went down in the batch. */
  resets: { meter: string; from: number; to: number }[];
  /** Adopts the batch's register states and newest times, once it has committed. */
  commit(): void;
}

/**
 * Where every meter fed over MQTT stands: its register, or for interval values the newest
 * time, so a fall-back local time can be told apart. A batch is planned on copies and adopted
 * only once its transaction commits, so a failed commit can be planned again from the start.
 */
export class IngestState {
  private readonly registers: Map<string, RegisterState>;
  private readonly newest: Map<string, number>;

  constructor(registers: RegisterState[], newestTimes: Map<string, number>) {
    this.registers = new Map(registers.map((state) => [state.meter, state]));
    this.newest = newestTimes;
  }

  plan(messages: DecodedMessage[]): BatchPlan {
    const registers = new Map<string, RegisterState>();
    const newest = new Map<string, number>();
    const byMeter = new Map<string, Reading[]>();
    const outcomes: Outcome[] = [];
    const resets: BatchPlan["resets"] = [];
    const add = (meter: string, readings: Reading[]) => {
      let list = byMeter.get(meter);
      if (list === undefined) byMeter.set(meter, (list = []));
      list.push(...readings);
    };
    for (const message of messages) {
      const { meter, subscription } = message;
      if (subscription.cumulative) {
        const state = registers.get(meter) ?? this.registers.get(meter);
        const time = chooseInstant(message.instants, state?.time);
        const step = advanceRegister(state, meter, { time, value: message.value }, subscription.interval!);
        if (step.kind === "ignored") {
          outcomes.push("ignored");
          continue;
        }
        if (step.reset) resets.push({ meter, from: state!.value, to: message.value });
        registers.set(meter, step.state);
        add(meter, step.readings);
      } else {
        const before = newest.get(meter) ?? this.newest.get(meter);
        const time = chooseInstant(message.instants, before);
        if (before === undefined || time > before) newest.set(meter, time);
        add(meter, [{ time, value: message.value }]);
      }
      outcomes.push("stored");
    }
    return {
      readings: [...byMeter].map(([meter, readings]) => ({ meter, readings })),
      registers: [...registers.values()],
      outcomes,
      resets,
      commit: () => {
        for (const [meter, state] of registers) this.registers.set(meter, state);
        for (const [meter, time] of newest) this.newest.set(meter, time);
      },
    };
  }
}

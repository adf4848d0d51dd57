import type { Reading } from "../readings/reading.js";

export interface FiguresChange {
  id: number;
  count: number;
  first: number;
  last: number;
}

/**
 * What a write adds to each meter's count and first and last time, gathered as rows go by
 * and applied once in the same transaction, so listing meters never needs to read readings.
 */
export class MeterFigures {
  private readonly changes = new Map<number, FiguresChange>();

  add(id: number, readings: Reading[]): void {
    if (readings.length === 0) return;
    let change = this.changes.get(id);
    if (change === undefined) this.changes.set(id, (change = { id, count: 0, first: Infinity, last: -Infinity }));
    change.count += readings.length;
    for (const { time } of readings) {
      if (time < change.first) change.first = time;
      if (time > change.last) change.last = time;
    }
  }

  take(): FiguresChange[] {
    const taken = [...this.changes.values()];
    this.changes.clear();
    return taken;
  }
}

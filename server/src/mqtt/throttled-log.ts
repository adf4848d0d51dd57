/** Lets something be said at most once a period per key, counting what was held back. */
export class Throttle {
  private readonly last = new Map<string, { at: number; held: number }>();

  constructor(private readonly periodMs: number) {}

  /** How many were held back since the last time, when this one may be said now; undefined when not. */
  pass(key: string, now: number): number | undefined {
    const entry = this.last.get(key);
    if (entry !== undefined && now - entry.at < this.periodMs) {
      entry.held++;
      return undefined;
    }
    // Forget the quiet keys now and then, so a broker with endless topics cannot grow the map.
    if (this.last.size > 10_000) for (const [k, e] of this.last) if (now - e.at >= this.periodMs) this.last.delete(k);
    this.last.set(key, { at: now, held: 0 });
    return entry?.held ?? 0;
  }
}

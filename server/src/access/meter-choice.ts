import { firstMeterName } from "../meters/meter.js";
import { checkMeterName } from "../meters/meter-name.js";
import { UnknownMeterError } from "../meters/unknown-meter-error.js";
import type { ReadingStore } from "../store/reading-store.js";

/**
 * Which meter a request means. Every surface takes an optional meter; without one it means
 * the default meter, so clients written before meters existed see what they always saw.
 */
export class MeterChoice {
  constructor(
    private readonly store: ReadingStore,
    /** `serve --default-meter`; otherwise the first meter the store received. */
    private readonly configuredDefault?: string,
  ) {}

  /**
   * The meter to read: the one named, or the default one. One the store does not have is
   * UnknownMeterError now, before a response has begun.
   */
  async toRead(requested: string | undefined, where = "the meter"): Promise<string> {
    const meter = requested ? checkMeterName(requested, where) : (this.configuredDefault ?? (await this.store.firstMeter()) ?? firstMeterName);
    if ((await this.store.meter(meter)) === undefined) throw new UnknownMeterError(meter);
    return meter;
  }

  /** The meter to write to: the one named, or the default one, which a first write creates. */
  async toWrite(requested: string | undefined, where = "the meter"): Promise<string> {
    if (requested) return checkMeterName(requested, where);
    return this.configuredDefault ?? (await this.store.firstMeter()) ?? firstMeterName;
  }
}

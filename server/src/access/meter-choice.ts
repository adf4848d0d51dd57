import type { Meter } from "../meters/meter.js";
import { firstMeterName } from "../meters/meter.js";
import { checkMeterName } from "../meters/meter-name.js";
import { UnknownMeterError } from "../meters/unknown-meter-error.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { Grant } from "./access-policy.js";

/**
 * Which meter a request means, and whether its caller may have it. Every surface takes an
 * optional meter; without one it means the default meter, so clients written before meters
 * existed see what they always saw, or, for a caller who may not read that one, the first
 * meter they may read.
 */
export class MeterChoice {
  constructor(
    private readonly store: ReadingStore,
    /** `serve --default-meter`; otherwise the first meter the store received. */
    private readonly configuredDefault?: string,
  ) {}

  /**
   * The meter to read: the one named, or the default one. One the caller may not read is
   * refused before the store is asked, so a refusal says nothing about which meters exist;
   * one the store does not have is UnknownMeterError now, before a response has begun.
   */
  async toRead(requested: string | undefined, grant: Grant, where = "the meter"): Promise<string> {
    return (await this.meterToRead(requested, grant, where)).name;
  }

  /** As toRead, answering the meter with its figures and settings, which the store has just been asked for. */
  async meterToRead(requested: string | undefined, grant: Grant, where = "the meter"): Promise<Meter> {
    const name = await this.#nameToRead(requested, grant, where);
    return known(name, await this.store.meter(name));
  }

  /**
   * As meterToRead for each meter asked, in order (`where` names the index's field). Many are
   * taken from one listing of the store's meters, which the SQLite store keeps until the
   * database changes, rather than a look-up each: a thousand meters' usage spent 9 ms on them.
   */
  async metersToRead(requested: string[], grant: Grant, where: (index: number) => string): Promise<Meter[]> {
    if (requested.length < 2) return Promise.all(requested.map((meter, index) => this.meterToRead(meter, grant, where(index))));
    const names: string[] = [];
    for (const [index, meter] of requested.entries()) names.push(await this.#nameToRead(meter, grant, where(index)));
    const byName = new Map((await this.store.meters()).map((meter) => [meter.name, meter]));
    return names.map((name) => known(name, byName.get(name)));
  }

  /** The meter's name, checked, or the default one's, once the caller may read it. */
  async #nameToRead(requested: string | undefined, grant: Grant, where: string): Promise<string> {
    const name = requested ? checkMeterName(requested, where) : await this.#defaultToRead(grant);
    grant.checkRead(name);
    return name;
  }

  /** The meter to write to, which the caller must be allowed to ingest to: the one named, or the default one, which a first write creates. */
  async toWrite(requested: string | undefined, grant: Grant, where = "the meter"): Promise<string> {
    const meter = requested ? checkMeterName(requested, where) : await this.defaultMeter();
    grant.checkIngest(meter);
    return meter;
  }

  async defaultMeter(): Promise<string> {
    return this.configuredDefault ?? (await this.store.firstMeter()) ?? firstMeterName;
  }

  /** The meters the caller may read, with their figures, ordered by name. */
  async readable(grant: Grant): Promise<Meter[]> {
    return (await this.store.meters()).filter((meter) => grant.mayRead(meter.name));
  }

  /**
   * The meters the caller may read, each with its tariff, and the one of them a request that
   * names none reads: empty when that request would find no meter.
   */
  async listing(grant: Grant): Promise<{ meters: Meter[]; defaultMeter: string }> {
    const tariffs = await this.store.tariffs.meterTariffs();
    const meters = (await this.readable(grant)).map((meter) => withTariff(meter, tariffs.get(meter.name) ?? ""));
    const chosen = await this.#defaultToRead(grant, async () => meters);
    return { meters, defaultMeter: meters.some(({ name }) => name === chosen) ? chosen : "" };
  }

  async #defaultToRead(grant: Grant, readable = () => this.readable(grant)): Promise<string> {
    const meter = await this.defaultMeter();
    if (grant.mayRead(meter)) return meter;
    return (await readable())[0]?.name ?? meter;
  }
}

/** The meter with its tariff, field by field: spreading a fleet's thousand meters took as long as reading them. */
function withTariff({ name, count, firstTime, lastTime, unit, timeZone }: Meter, tariff: string): Meter {
  return { name, count, firstTime, lastTime, unit, timeZone, tariff };
}

/** The meter the store gave for `name`, or UnknownMeterError when it has none. */
function known(name: string, meter: Meter | undefined): Meter {
  if (meter === undefined) throw new UnknownMeterError(name);
  return meter;
}

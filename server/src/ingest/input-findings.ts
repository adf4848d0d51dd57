import { formatTimestamp } from "../readings/timestamp-text.js";
import type { MeterReading } from "../readings/reading.js";
import type { ReadingColumns } from "./reading-columns.js";

/** The formats an import recognises by their content. */
export type InputFormat = "csv" | "green-button-csv" | "espi" | "octopus-json";

export const formatNames: Record<InputFormat, string> = {
  csv: "CSV",
  "green-button-csv": "Green Button CSV",
  espi: "Green Button ESPI XML",
  "octopus-json": "Octopus Energy JSON",
};

/** What a file says about one of its meters beyond its readings. */
export interface MeterSource {
  meter: string;
  /** The unit the file gives its values, which the meter then takes. */
  unit?: string;
  /** Where in the file the meter's readings came from, such as its UsagePoint and MeterReading. */
  origin?: string;
}

/** What a reader learnt of a file as it read it: its format, its meters' units and origins, and notes such as ESPI's LocalTimeParameters. */
export interface InputFindings {
  format: InputFormat;
  sources: MeterSource[];
  notes: string[];
}

/** One meter's readings in a file, as an import reports them before or after storing them. */
export interface FoundMeter extends MeterSource {
  count: number;
  firstTime?: number;
  lastTime?: number;
}

/** Counts each meter's readings and their first and last time as batches pass. */
export class MeterTally {
  private readonly meters = new Map<string, FoundMeter>();

  add(batch: MeterReading[]): void {
    let found: FoundMeter | undefined;
    for (const { meter, time } of batch) {
      if (found?.meter !== meter) found = this.meter(meter);
      count(found, time);
    }
  }

  /** A batch as columns: each reading's meter is found by its index, not its name. */
  addColumns({ times, meterIndexes, meterNames }: ReadingColumns): void {
    const founds = meterNames.map((meter) => this.meter(meter));
    for (let i = 0; i < times.length; i++) count(founds[meterIndexes[i]], times[i]);
  }

  private meter(name: string): FoundMeter {
    let found = this.meters.get(name);
    if (found === undefined) this.meters.set(name, (found = { meter: name, count: 0 }));
    return found;
  }

  /** Every meter with readings, in the order they first came, with what the file said of it. */
  found(findings: InputFindings | undefined): FoundMeter[] {
    const sources = new Map((findings?.sources ?? []).map((source) => [source.meter, source]));
    return [...this.meters.values()].map((meter) => ({ ...sources.get(meter.meter), ...meter }));
  }
}

function count(found: FoundMeter, time: number): void {
  found.count++;
  if (found.firstTime === undefined || time < found.firstTime) found.firstTime = time;
  if (found.lastTime === undefined || time > found.lastTime) found.lastTime = time;
}

/** `meter home: 8760 readings from 2026-01-01T05:00:00Z to 2026-12-31T04:00:00Z, kWh (UsagePoint "Home", MeterReading 1)` */
export function describeFoundMeter({ meter, count, firstTime, lastTime, unit, origin }: FoundMeter): string {
  const span = firstTime === undefined || lastTime === undefined ? "" : ` from ${formatTimestamp(firstTime)} to ${formatTimestamp(lastTime)}`;
  const unitText = unit === undefined || unit === "" ? "" : `, ${unit}`;
  const originText = origin === undefined ? "" : ` (${origin})`;
  return `meter ${meter}: ${count} reading${count === 1 ? "" : "s"}${span}${unitText}${originText}`;
}

import type { MeterReading } from "../readings/reading.js";

/** A batch's readings grouped by meter, each group in the batch's order. */
export function groupByMeter(batch: MeterReading[]): Map<string, MeterReading[]> {
  const groups = new Map<string, MeterReading[]>();
  let current: MeterReading[] | undefined;
  let currentMeter: string | undefined;
  for (const reading of batch) {
    if (reading.meter !== currentMeter) {
      currentMeter = reading.meter;
      current = groups.get(currentMeter);
      if (current === undefined) groups.set(currentMeter, (current = []));
    }
    current!.push(reading);
  }
  return groups;
}

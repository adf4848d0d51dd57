import type { Reading, TimeRange } from "../../src/readings/reading.js";
import type { ReadingStore } from "../../src/store/reading-store.js";

/** Every reading a store holds of a meter in the range, oldest first, as its reader returns them. */
export async function storedReadings(store: ReadingStore, range: TimeRange = {}, meter = "meterusage"): Promise<Reading[]> {
  const readings: Reading[] = [];
  for await (const batch of store.readBatches(meter, range, 10_000)) readings.push(...batch);
  return readings;
}

import type { Reading } from "../../src/readings/reading.js";

const yearStart = Date.UTC(2019, 0, 1);
const readingsInBurst = 5;

/**
 * The late readings of burst number `burst`: five readings a minute past quarter-hours spread
 * over 2019, each in another chunk of a meter read every 15 minutes that year, none at a time
 * another of the first 7,008 bursts takes (7,919 and 35,040 share no factor).
 */
export function lateBurst(burst: number): Reading[] {
  return Array.from({ length: readingsInBurst }, (_, i) => {
    const quarter = ((burst * readingsInBurst + i) * 7_919) % 35_040;
    return { time: yearStart + quarter * 900_000 + 60_000, value: burst + i / 10 };
  });
}

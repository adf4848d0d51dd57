import { fleetValue, readingsPerMeterYear } from "./fleet-readings.js";

export interface DeltaEntropy {
  /** Bits a delta by the order-0 entropy of all the deltas. */
  bitsPerDelta: number;
  deltas: number;
  /** The decimals that make every value an integer. */
  decimals: number;
}

/**
 * The order-0 entropy of the fleet's value deltas: each meter's values scaled to integers by
 * the fewest decimals that make them all whole, then each value less the meter's previous
 * present one (the first against 0). It is the floor of any coder that codes one delta at a
 * time without context, so the store's bytes per reading are set beside it. Missing values
 * have no delta; saying which are missing is the coder's cost on top.
 */
export function fleetDeltaEntropy(meters: number): DeltaEntropy {
  const decimals = fewestDecimals(meters);
  const scale = 10 ** decimals;
  const counts = new Map<number, number>();
  let deltas = 0;
  for (let meter = 0; meter < meters; meter++) {
    let previous = 0;
    for (let i = 0; i < readingsPerMeterYear; i++) {
      const value = fleetValue(meter, i);
      if (value === null) continue;
      const scaled = Math.round(value * scale);
      const delta = scaled - previous;
      counts.set(delta, (counts.get(delta) ?? 0) + 1);
      previous = scaled;
      deltas++;
    }
  }
  let bits = 0;
  for (const count of counts.values()) bits -= count * Math.log2(count / deltas);
  return { bitsPerDelta: bits / deltas, deltas, decimals };
}

function fewestDecimals(meters: number): number {
  for (let decimals = 0; decimals <= 15; decimals++) {
    const scale = 10 ** decimals;
    let whole = true;
    for (let meter = 0; meter < meters && whole; meter++) {
      for (let i = 0; i < readingsPerMeterYear; i++) {
        const value = fleetValue(meter, i);
        if (value !== null && Math.round(value * scale) / scale !== value) {
          whole = false;
          break;
        }
      }
    }
    if (whole) return decimals;
  }
  throw new Error("the fleet's values need more than 15 decimals");
}

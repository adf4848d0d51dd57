import { fetchJson } from "./readings-source.js";

/** A stored meter as the picker lists it. */
export interface MeterEntry {
  name: string;
  /** Readings stored, missing ones included. */
  count: number;
}

/** GET /api/meters: every stored meter, ordered by name. */
export async function fetchMeters(signal: AbortSignal): Promise<MeterEntry[]> {
  const body = await fetchJson<{ meters: MeterEntry[] }>("/api/meters", signal);
  return body.meters.map(({ name, count }) => ({ name, count }));
}

import { fetchJson } from "./readings-source.js";

/** A stored meter as the picker lists it. */
export interface MeterEntry {
  name: string;
  /** Readings stored, missing ones included. */
  count: number;
}

/** The stored meters the caller may read, and the one the page shows when none is chosen. */
export interface MeterList {
  meters: MeterEntry[];
  /** Empty when there is none to show. */
  defaultMeter: string;
}

/** GET /api/meters: every stored meter, ordered by name, and the default one. */
export async function fetchMeters(signal: AbortSignal): Promise<MeterList> {
  const body = await fetchJson<{ meters: MeterEntry[]; defaultMeter?: string }>("/api/meters", signal);
  return { meters: body.meters.map(({ name, count }) => ({ name, count })), defaultMeter: body.defaultMeter ?? "" };
}

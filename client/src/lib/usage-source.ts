import { fetchJson } from "./readings-source.js";
import type { UsagePeriod } from "./usage-url-state.js";

/** One calendar period of one meter, or of the meters' total, as GET /api/usage answers it. */
export interface PeriodUsage {
  start: number;
  end: number;
  /** Readings with a value. */
  count: number;
  missingCount: number;
  sum: number;
  /** What the period cost, where the meter has a tariff. */
  energyCost?: number;
  standingCharge?: number;
  cost?: number;
}

export interface MeterUsage {
  meter: string;
  unit: string;
  /** The tariff's currency; empty for a meter without a tariff. */
  currency: string;
  periods: PeriodUsage[];
}

export interface Usage {
  timeZone: string;
  meters: MeterUsage[];
  /** Only when there is more than one meter. */
  total?: PeriodUsage[];
}

export interface UsageQuery {
  /** None: the service's default meter. */
  meters: string[];
  /** Years too, which the view does not draw but asks for to learn the meters cheaply. */
  period: UsagePeriod | "year";
  /** Absent: the zone of the first meter. */
  timeZone?: string;
  /** Local dates ("2019-03-31"), absent for the meters' whole data. */
  start?: string;
  end?: string;
}

/** A meter as GET /api/meters lists it. */
export interface MeterListing {
  name: string;
  unit: string;
  timeZone: string;
  lastTime?: string;
}

/** The query of GET /api/usage for the meters, period, zone and local dates asked. */
export function usageSearch({ meters, period, timeZone, start, end }: UsageQuery): URLSearchParams {
  const query = new URLSearchParams(meters.map((meter) => ["meter", meter]));
  query.set("period", period);
  if (timeZone !== undefined) query.set("tz", timeZone);
  if (start !== undefined) query.set("start", start);
  if (end !== undefined) query.set("end", end);
  return query;
}

export async function fetchUsage(asked: UsageQuery, signal: AbortSignal): Promise<Usage> {
  const query = usageSearch(asked);
  type Wire<T> = Omit<T, "start" | "end"> & { start: string; end: string };
  const body = await getJson<{ timeZone: string; meters: (MeterUsage & { periods: Wire<PeriodUsage>[] })[]; total?: Wire<PeriodUsage>[] }>(
    "/api/usage",
    query,
    signal,
  );
  const instants = (periods: Wire<PeriodUsage>[]) => periods.map((period) => ({ ...period, start: Date.parse(period.start), end: Date.parse(period.end) }));
  return {
    timeZone: body.timeZone,
    meters: body.meters.map(({ meter, unit, currency, periods }) => ({ meter, unit, currency: currency ?? "", periods: instants(periods) })),
    total: body.total === undefined ? undefined : instants(body.total),
  };
}

export async function fetchMeterListings(signal: AbortSignal): Promise<MeterListing[]> {
  return (await getJson<{ meters: MeterListing[] }>("/api/meters", new URLSearchParams(), signal)).meters;
}

/** One meter's readings of [start, end) as columns; a missing reading's value is null. */
export async function fetchMeterReadings(meter: string, start: number, end: number, signal: AbortSignal): Promise<{ times: number[]; values: (number | null)[] }> {
  const query = new URLSearchParams({ meter, start: new Date(start).toISOString(), end: new Date(end).toISOString() });
  const { readings } = await getJson<{ readings: { time: string; value: number | null }[] }>("/api/readings", query, signal);
  return { times: readings.map(({ time }) => Date.parse(time)), values: readings.map(({ value }) => value) };
}

/** The service's JSON route with the query, signed in as the tab is; other answers reject with the service's words. */
function getJson<T>(path: string, query: URLSearchParams, signal: AbortSignal): Promise<T> {
  return fetchJson<T>(`${path}?${query}`, signal);
}

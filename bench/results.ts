/** One measured case on one store size; references are results too. */
export interface Result {
  /** Readings in the store; 0 where they do not matter. */
  size: number;
  name: string;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** MB are 10^6 bytes: of the CSV for the import, of the response bodies otherwise. */
  megabytesPerSecond: number;
  /** Of the process doing the work: the server for streams and JSON, the worker otherwise. */
  peakRssMb: number;
  /** Runs made; the one reported is the median by time. */
  runs: number;
  comparisons: Comparison[];
  goals: Goal[];
  latency?: Latency;
  /** For a store's size on disk: `bytes` is the whole store, `rows` its readings. */
  bytesPerReading?: number;
  note?: string;
}

export interface Latency {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  requests: number;
}

export interface Comparison {
  reference: string;
  /** This result over the reference's: above 1 is faster, or for RSS, larger. */
  rowsPerSecond: number;
  megabytesPerSecond: number;
  peakRssMb: number;
}

export interface Goal {
  text: string;
  met: boolean;
}

export interface Measured {
  rows: number;
  bytes: number;
  seconds: number;
  peakRssMb: number;
}

export function result(size: number, name: string, runs: Measured[], note?: string): Result {
  const median = [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor((runs.length - 1) / 2)];
  return {
    size,
    name,
    rows: median.rows,
    bytes: median.bytes,
    seconds: median.seconds,
    rowsPerSecond: median.rows / median.seconds,
    megabytesPerSecond: median.bytes / 1e6 / median.seconds,
    peakRssMb: Math.max(...runs.map((run) => run.peakRssMb)),
    runs: runs.length,
    comparisons: [],
    goals: [],
    note,
  };
}

export function compare(measured: Result, reference: Result): Comparison {
  const comparison = {
    reference: reference.name,
    rowsPerSecond: measured.rowsPerSecond / reference.rowsPerSecond,
    megabytesPerSecond: measured.megabytesPerSecond / reference.megabytesPerSecond,
    peakRssMb: measured.peakRssMb / reference.peakRssMb,
  };
  measured.comparisons.push(comparison);
  return comparison;
}

/** Latencies of sequential requests as a result; `rows` is what the requests read in all. */
export function latencyResult(size: number, name: string, sortedMs: number[], rows: number, note?: string): Result {
  const at = (fraction: number) => sortedMs[Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))];
  return {
    ...unrated(size, name, rows, 0, note),
    seconds: sortedMs.reduce((sum, ms) => sum + ms, 0) / 1000,
    runs: sortedMs.length,
    latency: { p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), requests: sortedMs.length },
  };
}

/** A store's size on disk as a result. */
export function storageResult(size: number, name: string, bytes: number, note?: string): Result {
  return { ...unrated(size, name, size, bytes, note), bytesPerReading: bytes / size };
}

/** A result without a rate: the figures a rate needs are NaN, so no comparison divides by them. */
export function unrated(size: number, name: string, rows: number, bytes: number, note?: string): Result {
  return { size, name, rows, bytes, seconds: NaN, rowsPerSecond: NaN, megabytesPerSecond: NaN, peakRssMb: NaN, runs: 1, comparisons: [], goals: [], note };
}

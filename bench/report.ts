import type { Goal, Result } from "./results.js";

const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
/** A store's readings, or "-" for a case whose store size does not matter. */
const shortSize = (size: number) => (size === 0 ? "-" : Number.isInteger(Math.log10(size)) ? `1e${Math.log10(size)}` : compact.format(size));
const number = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : "-");

/** The results as a plain-text table, with the comparisons under each result and the goals last. */
export function formatReport(results: Result[], goals: Goal[], machine: string): string {
  const header = ["size", "case", "rows", "s", "rows/s", "MB/s", "peak RSS MB", "vs", "rows/s", "MB/s", "RSS"];
  // A note is a line of its own under its result, as wide as it needs, apart from the columns.
  const lines: (string[] | { note: string })[] = [header];
  for (const result of results) {
    const [first, ...more] = result.comparisons;
    lines.push([
      shortSize(result.size),
      result.name,
      Number.isFinite(result.rows) ? whole.format(result.rows) : "-",
      ...figures(result),
      number(result.peakRssMb),
      first?.reference ?? "",
      first ? ratio(first.rowsPerSecond) : "",
      first ? ratio(first.megabytesPerSecond) : "",
      first ? ratio(first.peakRssMb) : "",
    ]);
    for (const comparison of more) {
      lines.push(["", "", "", "", "", "", "", comparison.reference, ratio(comparison.rowsPerSecond), ratio(comparison.megabytesPerSecond), ratio(comparison.peakRssMb)]);
    }
    if (result.note) lines.push({ note: result.note });
  }
  const rows = lines.filter((line) => Array.isArray(line));
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const leftAligned = new Set([1, 7]);
  const table = lines.map((line) =>
    Array.isArray(line)
      ? line.map((cell, column) => (leftAligned.has(column) ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ").trimEnd()
      : `${" ".repeat(widths[0] + 4)}(${line.note})`,
  );
  const goalLines = goals.map((goal) => `${goal.met ? "met    " : "NOT MET"}  ${goal.text}`);
  return [machine, "", ...table, "", "Goals:", ...goalLines].join("\n");
}

/** The cells under "s", "rows/s" and "MB/s": a rate, latency percentiles, or a size on disk. */
function figures(result: Result): [string, string, string] {
  const { latency, bytesPerReading } = result;
  if (latency) return [`p50 ${number(latency.p50Ms, 2)} ms`, `p90 ${number(latency.p90Ms, 2)} ms`, `p99 ${number(latency.p99Ms, 2)} ms`];
  if (bytesPerReading !== undefined) return [`${whole.format(result.bytes / 1e6)} MB`, `${number(bytesPerReading)} B/reading`, ""];
  return [number(result.seconds, 2), Number.isFinite(result.rowsPerSecond) ? whole.format(result.rowsPerSecond) : "-", number(result.megabytesPerSecond)];
}

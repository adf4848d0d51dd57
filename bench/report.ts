import type { Goal, Result } from "./results.js";

const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const shortSize = (size: number) => `1e${Math.round(Math.log10(size))}`;
const number = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}x` : "-");

/** The results as a plain-text table, with the comparisons under each result and the goals last. */
export function formatReport(results: Result[], goals: Goal[], machine: string): string {
  const header = ["size", "case", "rows", "s", "rows/s", "MB/s", "peak RSS MB", "vs", "rows/s", "MB/s", "RSS"];
  const lines: string[][] = [header];
  for (const result of results) {
    const [first, ...more] = result.comparisons;
    const latency = result.latency;
    lines.push([
      shortSize(result.size),
      result.name,
      whole.format(result.rows),
      latency ? `p50 ${number(latency.p50Ms, 2)} ms` : number(result.seconds, 2),
      latency ? `p90 ${number(latency.p90Ms, 2)} ms` : whole.format(result.rowsPerSecond),
      latency ? `p99 ${number(latency.p99Ms, 2)} ms` : number(result.megabytesPerSecond),
      number(result.peakRssMb),
      first?.reference ?? "",
      first ? ratio(first.rowsPerSecond) : "",
      first ? ratio(first.megabytesPerSecond) : "",
      first ? ratio(first.peakRssMb) : "",
    ]);
    for (const comparison of more) {
      lines.push(["", "", "", "", "", "", "", comparison.reference, ratio(comparison.rowsPerSecond), ratio(comparison.megabytesPerSecond), ratio(comparison.peakRssMb)]);
    }
    if (result.note) lines.push(["", `  (${result.note})`, "", "", "", "", "", "", "", "", ""]);
  }
  const widths = header.map((_, column) => Math.max(...lines.map((line) => line[column].length)));
  const leftAligned = new Set([1, 7]);
  const table = lines.map((line) =>
    line.map((cell, column) => (leftAligned.has(column) ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ").trimEnd(),
  );
  const goalLines = goals.map((goal) => `${goal.met ? "met    " : "NOT MET"}  ${goal.text}`);
  return [machine, "", ...table, "", "Goals:", ...goalLines].join("\n");
}

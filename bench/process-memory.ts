import { readFileSync, writeFileSync } from "node:fs";

/** The peak resident set size of a process, in MB (VmHWM, which Linux keeps per process). */
export function peakRssMb(pid: number | "self"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (kilobytes === null) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(kilobytes[1]) / 1024;
}

/** Starts a new peak at the current RSS, so that each phase of one server process gets its own. */
export function resetPeakRss(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
}

import { spawn } from "node:child_process";
import { once } from "node:events";
import { builtCli } from "./dist-modules.js";
import { peakRssMb } from "./process-memory.js";
import type { Measured } from "./results.js";

/** How often the importing process's peak RSS is read: it is gone once it exits. */
const rssPollMs = 250;

/**
 * `meterusage import FILE --db LOCATION [flags]` as a user runs it, in its own process, timed
 * from spawning it to its exit. Its progress lines pass through to stderr.
 */
export async function importWithCli(csv: string, location: string, csvBytes: number, flags: string[] = []): Promise<Measured> {
  const started = performance.now();
  const child = spawn(process.execPath, [builtCli, "import", csv, "--db", location, ...flags], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (output += text));
  let peak = 0;
  const poll = setInterval(() => {
    try {
      peak = Math.max(peak, peakRssMb(child.pid!));
    } catch {
      // Exited between two polls.
    }
  }, rssPollMs);
  const [code] = (await once(child, "close")) as [number | null];
  const seconds = (performance.now() - started) / 1000;
  clearInterval(poll);
  const stored = /^stored (\d+) readings/m.exec(output);
  if (code !== 0 || stored === null) throw new Error(`meterusage import ${csv} failed (${code}):\n${output}`);
  return { rows: Number(stored[1]), bytes: csvBytes, seconds, peakRssMb: peak };
}

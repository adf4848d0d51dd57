import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Runs a benchmark worker in its own process and answers the JSON it prints last. */
export async function runWorker<T>(worker: string, args: string[]): Promise<T> {
  const script = join(import.meta.dirname, "workers", worker);
  const { stdout } = await run(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: join(import.meta.dirname, ".."),
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as T;
}

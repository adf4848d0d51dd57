import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { packageRoot } from "../../src/package-paths.js";

export interface ServiceProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  /** http://, or https:// when the service speaks TLS. */
  baseUrl: string;
  /** Everything the process printed so far. */
  output(): string;
}

/** Runs `meterusage serve` as its own process on a free loopback port, as a user would. */
export async function spawnService(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(packageRoot, "server/src/cli.ts"), "serve", "--port", "0", "--host", "127.0.0.1", ...args],
    { env: { ...process.env, PORT: "", METERUSAGE_DB: "", ...env } },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const [scheme, port] = await new Promise<[string, number]>((resolve, reject) => {
    const check = () => {
      const match = /on (https?):\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve([match[1], Number(match[2])]);
    };
    child.stdout.on("data", check);
    child.once("exit", (code) => reject(new Error(`serve exited with ${code} before listening: ${output}`)));
  });
  return { child, port, baseUrl: `${scheme}://127.0.0.1:${port}`, output: () => output };
}

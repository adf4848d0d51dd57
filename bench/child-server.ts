import { spawn } from "node:child_process";
import { once } from "node:events";

export interface ChildServer {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/** Every server the benchmark starts prints this once it listens, as `meterusage serve` does. */
const listeningPattern = /on http:\/\/127\.0\.0\.1:(\d+)/;

/** Starts a server in its own process and waits until it says which port it listens on. */
export async function startChildServer(command: string, args: string[]): Promise<ChildServer> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      output += text;
      const match = listeningPattern.exec(output);
      if (match !== null) resolve(Number(match[1]));
    });
    child.once("exit", (code) => reject(new Error(`${command} ${args.join(" ")} exited (${code}) before listening:\n${output}`)));
  });
  child.stdout.resume();
  return {
    pid: child.pid!,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

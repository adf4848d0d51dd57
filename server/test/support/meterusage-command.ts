import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../../src/package-paths.js";
import { temporaryFolder } from "./test-server.js";

const source = join(packageRoot, "server/src/cli.ts");

/** Node's arguments that run the command from its source. */
export const cliArgs = ["--import", "tsx", source];

const hooks = pathToFileURL(join(packageRoot, "server/test/support/loaded-modules-hooks.mjs")).href;

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command as a user would, with no database or port taken from the environment. */
export function meterusage(...args: string[]): CommandResult {
  return run([...cliArgs, ...args]);
}

/** The URL of every module a run of the command imports (node: built-ins by name), and how the run went. */
export function modulesImportedBy(...args: string[]): CommandResult & { modules: string[] } {
  const folder = temporaryFolder();
  const logFile = join(folder, "modules.txt");
  const register = `import { register } from "node:module"; register(${JSON.stringify(hooks)}, { data: { logFile: ${JSON.stringify(logFile)} } });`;
  try {
    // Registered after tsx, so that these hooks see what tsx resolved.
    const result = run(["--import", "tsx", "--import", `data:text/javascript,${encodeURIComponent(register)}`, source, ...args]);
    return { ...result, modules: readFileSync(logFile, "utf8").split("\n").filter(Boolean) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function run(nodeArgs: string[]): CommandResult {
  const result = spawnSync(process.execPath, nodeArgs, {
    encoding: "utf8",
    env: { ...process.env, METERUSAGE_DB: "", PORT: "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

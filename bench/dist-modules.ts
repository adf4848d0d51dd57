import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(import.meta.dirname, "..");

/**
 * Loads a server module from dist/, the JavaScript that `meterusage` runs, typed by its source:
 * the benchmark measures the build, not tsx's on-the-fly compilation.
 */
export async function importBuilt<T>(sourcePath: string): Promise<T> {
  const built = join(root, "dist", sourcePath.replace(/\.ts$/, ".js"));
  return (await import(pathToFileURL(built).href)) as T;
}

export const builtCli = join(root, "dist/server/src/cli.js");

import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder of this package's package.json, found by walking up from this file, so that
 * paths hold both when run from source (server/src) and when built (dist/server/src).
 */
function findPackageRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "meterusage") return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error("cannot find the meterusage package.json above " + fileURLToPath(import.meta.url));
    folder = parent;
  }
}

export const packageRoot = findPackageRoot();
export const bundledCsv = join(packageRoot, "server", "data", "meterusage.csv");
export const builtPage = join(packageRoot, "client", "dist");

import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread on the module `name` in the folder of `besideUrl` (the caller's
 * import.meta.url): its .js when the caller runs built, its .ts under tsx when the caller runs
 * from source. tsx's hooks do not reach a worker on Node 20, so the worker registers them
 * itself before loading its TypeScript. None of this process's flags are passed on: an
 * inherited `--import tsx` alone made a worker start 45 ms later.
 */
export function startModuleWorker(besideUrl: string, name: string, options: Omit<WorkerOptions, "eval" | "execArgv"> = {}): Worker {
  const withoutFlags = { ...options, execArgv: [] };
  if (besideUrl.endsWith(".js")) return new Worker(new URL(`./${name}.js`, besideUrl), withoutFlags);
  const source = new URL(`./${name}.ts`, besideUrl).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(bootstrap, { ...withoutFlags, eval: true });
}

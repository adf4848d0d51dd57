import type { Worker } from "node:worker_threads";
import type { SpanTallies, TimeSpan } from "../../readings/tally.js";
import { startModuleWorker } from "../../worker-module.js";
import { unpackTallies } from "./sqlite-tally.js";
import type { TallyShare, TallyThreadMessage } from "./tally-share.js";

/**
 * A second thread that adds up a share of a tally of many meters while the store's own thread
 * adds up the rest: a thousand meters' month decodes every chunk of the month, and on two
 * cores half of them each. It reads the store's file through a connection of its own, so a
 * meter's figures come from one read, though two meters may come from reads either side of a
 * write committed meanwhile, as two requests' would.
 *
 * It starts with the first tally worth sharing, and takes a share only when it is ready and
 * idle: until it has opened the file, and while it adds up another request's share, the
 * store's thread adds up alone, as it does for good should the thread fail.
 */
export class TallyThread {
  private worker: Worker | undefined;
  private started: Promise<boolean> | undefined;
  private state: "starting" | "idle" | "busy" | "stopped" = "starting";
  private answer: ((packed: Float64Array | undefined) => void) | undefined;

  constructor(private readonly path: string) {}

  /**
   * Starts the thread unless it has been; answers whether it is ready for shares (false: it
   * stopped, say for a file it could not open). Once ready, it holds the process only while
   * it adds up a share: a thread that helps must not keep the process running.
   */
  start(): Promise<boolean> {
    this.started ??= new Promise((resolve) => {
      // Its garbage (a share's chunk bytes) dies young; left to grow as the main thread's, its
      // young generation took the serving process's peak RSS from about 255 MB to 350.
      const resourceLimits = { maxYoungGenerationSizeMb: 8 };
      const worker = startModuleWorker(import.meta.url, "sqlite-tally-worker", { workerData: { path: this.path }, resourceLimits });
      worker.on("message", (message: TallyThreadMessage) => {
        if (this.state === "stopped") return;
        this.state = "idle";
        if (message.kind === "ready") {
          worker.unref();
          resolve(true);
        } else this.settle(message.kind === "tallied" ? message.packed : undefined);
      });
      const stop = () => {
        this.state = "stopped";
        resolve(false);
        this.settle(undefined);
      };
      worker.on("error", stop);
      worker.on("exit", stop);
      this.worker = worker;
    });
    return this.started;
  }

  /**
   * The meters' tallies as the thread adds them up, or undefined, at once, when it is not free
   * to. The promise answers undefined when the share failed there (a damaged chunk, say): the
   * caller then adds it up itself, and finds what was wrong as it does.
   */
  share(ids: number[], names: string[], spans: TimeSpan[]): Promise<SpanTallies[] | undefined> | undefined {
    void this.start();
    if (this.state !== "idle") return undefined;
    this.state = "busy";
    const share: TallyShare = { ids, names, starts: Float64Array.from(spans, ({ start }) => start), ends: Float64Array.from(spans, ({ end }) => end) };
    return new Promise((resolve) => {
      this.answer = (packed) => resolve(packed === undefined ? undefined : unpackTallies(packed, ids.length, spans.length));
      this.worker!.ref();
      this.worker!.postMessage(share);
    });
  }

  async close(): Promise<void> {
    this.state = "stopped";
    this.settle(undefined);
    await this.worker?.terminate();
  }

  private settle(packed: Float64Array | undefined): void {
    const answer = this.answer;
    this.answer = undefined;
    this.worker?.unref();
    answer?.(packed);
  }
}

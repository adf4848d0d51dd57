import { on } from "node:events";
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "../worker-module.js";
import type { CsvFileMessage, CsvFileTask } from "./csv-file-messages.js";
import type { InputFindings } from "./input-findings.js";
import type { InputOptions } from "./input-options.js";
import type { ReadingColumns } from "./reading-columns.js";
import { rebuiltError } from "./worker-error.js";

export interface CsvFileBatch {
  columns: ReadingColumns;
  /** How far into the file the worker had read when it parsed this batch. */
  bytesRead: number;
}

/**
 * A file read and parsed on a worker thread, by the same code as a request body, while
 * this thread stores the readings parsed so far. Errors arrive as the worker threw them.
 * The worker starts when the batches are first asked for, so a store that reads none of
 * them (one that onlyIntoEmpty finds filled) costs no thread. close() ends the worker
 * whether or not the batches were read to the end.
 */
export class CsvFileReader {
  private worker: Worker | undefined;
  /** What the reader learnt of a file of any format, once the batches have been read to the end. */
  findings: InputFindings | undefined;

  constructor(
    private readonly path: string,
    private readonly options: InputOptions = {},
    private readonly anyFormat = false,
  ) {}

  async *batches(): AsyncGenerator<CsvFileBatch> {
    const task: CsvFileTask = { path: this.path, options: this.options, anyFormat: this.anyFormat };
    const worker = startModuleWorker(import.meta.url, "csv-file-worker", { workerData: task });
    this.worker = worker;
    // Listening from the start: a worker that fails before the store reads must not crash the process.
    const messages = on(worker, "message", { close: ["exit"] }) as AsyncIterableIterator<[CsvFileMessage]>;
    for await (const [message] of messages) {
      if (message.kind === "end") {
        this.findings = message.findings;
        return;
      }
      if (message.kind === "error") throw rebuiltError(message.error);
      yield { columns: message.columns, bytesRead: message.bytesRead };
      worker.postMessage("stored");
    }
    throw new Error("the worker reading the CSV file stopped before the end of the file");
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
  }
}

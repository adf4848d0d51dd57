// Reads and parses a file (a CSV, or any format import knows) on its own thread, handing the readings to the thread that
// stores them: parsing costs about as much as SQLite's inserting, and on two cores they overlap.
import { createReadStream } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { batchesAhead, type CsvFileMessage, type CsvFileTask } from "./csv-file-messages.js";
import { fileColumns } from "./csv-file-columns.js";
import { columnBuffers } from "./reading-columns.js";
import { errorFields } from "./worker-error.js";

const port = parentPort!;
const { path, options, anyFormat } = workerData as CsvFileTask;

// The store acknowledges each batch once it has stored it; until then the batch is held in memory.
let unacknowledged = 0;
let onAcknowledged: (() => void) | undefined;
port.on("message", () => {
  unacknowledged--;
  onAcknowledged?.();
});

function send(message: CsvFileMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

// Reads of a megabyte: a fleet's file is read in a sixteenth of the steps the default 64 KiB take.
const file = createReadStream(path, { highWaterMark: 1 << 20 });
try {
  const input = await fileColumns(file, options, anyFormat);
  for await (const columns of input.batches) {
    send({ kind: "batch", columns, bytesRead: file.bytesRead }, columnBuffers(columns));
    unacknowledged++;
    while (unacknowledged >= batchesAhead) {
      await new Promise<void>((resolve) => (onAcknowledged = resolve));
    }
  }
  send({ kind: "end", findings: input.findings });
} catch (error) {
  send({ kind: "error", error: errorFields(error) });
} finally {
  file.destroy();
}

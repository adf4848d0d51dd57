import { createReadStream, type ReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { CsvFileBatch } from "./csv-file-reader.js";
import type { InputFindings } from "./input-findings.js";
import type { InputOptions } from "./input-options.js";

/**
 * Whether the file is one whose every reading is read before the first can be stored: Octopus
 * JSON, sorted by time once read (the API pages newest first). Parsing it on a worker thread
 * would overlap nothing, and a worker's start costs more CPU than a household's year of
 * half-hours takes to read. A file that cannot be read is left to the worker, to fail as any file does.
 */
export async function readsWholeFirst(path: string): Promise<boolean> {
  try {
    const handle = await open(path);
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
      // As formatOf tells JSON, without loading every format's reader on this thread.
      return /^\uFEFF?\s*[{[]/.test(buffer.toString("utf8", 0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

/** A file of any format read and parsed on this thread, with the same batches, findings and errors as CsvFileReader's worker. */
export class InThreadFileReader {
  private file: ReadStream | undefined;
  findings: InputFindings | undefined;

  constructor(
    private readonly path: string,
    private readonly options: InputOptions,
  ) {}

  async *batches(): AsyncGenerator<CsvFileBatch> {
    // Loaded when used: an import on a worker thread does not load the parsers on this one too.
    const { fileColumns } = await import("./csv-file-columns.js");
    const file = (this.file = createReadStream(this.path, { highWaterMark: 1 << 20 }));
    const input = await fileColumns(file, this.options, true);
    for await (const columns of input.batches) yield { columns, bytesRead: file.bytesRead };
    this.findings = input.findings;
  }

  async close(): Promise<void> {
    this.file?.destroy();
  }
}

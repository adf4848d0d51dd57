import type { InputFindings } from "./input-findings.js";
import type { InputOptions } from "./input-options.js";
import type { ReadingColumns } from "./reading-columns.js";
import type { ErrorFields } from "./worker-error.js";

/** What the CSV file worker tells the thread that stores the readings. */
export type CsvFileMessage =
  | { kind: "batch"; columns: ReadingColumns; bytesRead: number }
  | { kind: "end"; findings?: InputFindings }
  | { kind: "error"; error: ErrorFields };

/** What the worker starts with. */
export interface CsvFileTask {
  path: string;
  options: InputOptions;
  /** Whether the file may be of any format import knows, told by its content; otherwise it is today's CSV. */
  anyFormat: boolean;
}

/**
 * Batches the worker may send before the store has taken the first of them: enough that
 * storing never waits on parsing, few enough that memory stays flat for any file size.
 */
export const batchesAhead = 8;

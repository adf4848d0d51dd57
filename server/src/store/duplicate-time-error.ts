import { formatTimestamp } from "../readings/timestamp-text.js";
import type { NumberedReading } from "../readings/reading.js";

/** Thrown when an import holds a time that is already taken, in the store or earlier in the input. */
export class DuplicateTimeError extends Error {
  constructor(
    readonly line: number,
    readonly meter: string,
    readonly time: number,
    where: string,
  ) {
    super(`line ${line}: a reading of meter ${meter} for ${formatTimestamp(time)} ${where}`);
    this.name = "DuplicateTimeError";
  }
}

/**
 * The error for rows[at] of one meter, whose time is taken: by an earlier row of rows[from, at),
 * named by its line, else by a stored reading or an earlier one of the file.
 */
export function duplicateTimeIn(meter: string, rows: NumberedReading[], from: number, at: number, meterWasEmpty: boolean): DuplicateTimeError {
  const { time, line } = rows[at];
  for (let i = from; i < at; i++) {
    if (rows[i].time === time) return new DuplicateTimeError(line, meter, time, `appears twice: first on line ${rows[i].line}`);
  }
  const where = meterWasEmpty ? "appears twice: first earlier in the file" : "is already stored (or appears earlier in the file)";
  return new DuplicateTimeError(line, meter, time, where);
}

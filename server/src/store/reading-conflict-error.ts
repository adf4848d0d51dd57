import { formatTimestamp } from "../readings/timestamp-text.js";

/** Thrown when a new reading has the time of a stored one but another value. */
export class ReadingConflictError extends Error {
  constructor(
    readonly meter: string,
    readonly time: number,
    storedValue: number | null,
    newValue: number | null,
  ) {
    super(
      `a reading of meter ${meter} for ${formatTimestamp(time)} is already stored with the value ${storedValue ?? "missing"}; ` +
        `it cannot become ${newValue ?? "missing"}`,
    );
    this.name = "ReadingConflictError";
  }
}

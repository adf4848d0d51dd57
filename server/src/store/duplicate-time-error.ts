import { formatTimestamp } from "../readings/timestamp-text.js";

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

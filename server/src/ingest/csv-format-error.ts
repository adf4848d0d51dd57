import { FileFormatError } from "./file-format-error.js";

/** Thrown when a CSV cannot be read as readings; the message names the line and the problem. */
export class CsvFormatError extends FileFormatError {
  constructor(line: number, problem: string) {
    super(line, problem);
    this.name = "CsvFormatError";
  }
}

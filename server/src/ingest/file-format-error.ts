/**
 * Thrown when a file or body cannot be read as readings, in any format; the message names the
 * line (and, in XML, the element) and the problem.
 */
export class FileFormatError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = "FileFormatError";
  }
}

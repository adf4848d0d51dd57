/** Thrown when a CSV cannot be read as readings; the message names the line and the problem. */
export class CsvFormatError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = "CsvFormatError";
  }
}

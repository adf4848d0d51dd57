/** Thrown when a usage request names a period or time zone that cannot be used; names the parameter at fault. */
export class InvalidUsageError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = "InvalidUsageError";
  }
}

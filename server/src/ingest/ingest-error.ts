/** A request to store readings that cannot be taken as it is; the message says why and where. */
export class IngestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IngestError";
  }
}

/** The database cannot be used; said at start-up rather than on the first request. */
export class StoreOpenError extends Error {
  constructor(location: string, reason: string) {
    super(`cannot use the database ${location}: ${reason}`);
    this.name = "StoreOpenError";
  }
}

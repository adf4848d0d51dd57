/**
 * Ends a follow stream on PostgreSQL when the store's listening connection breaks: readings
 * stored while it was down were never heard, so the stream can no longer promise all of them.
 */
export class NotificationsLostError extends Error {
  constructor(cause: unknown) {
    super("the store lost its connection for hearing of new readings; follow again from the last time received", { cause });
    this.name = "NotificationsLostError";
  }
}

/** A request that carries no token, or one the service does not know: 401 / Unauthenticated. */
export class UnauthenticatedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnauthenticatedError";
  }
}

/** A known token asking for what it was not granted: 403 / PermissionDenied. */
export class PermissionDeniedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermissionDeniedError";
  }
}

/** An address that sent too many unknown tokens lately: 429 / ResourceExhausted, with when to try again. */
export class TooManyFailuresError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many unknown tokens from this address: try again in ${retryAfterSeconds} s`);
    this.name = "TooManyFailuresError";
  }
}

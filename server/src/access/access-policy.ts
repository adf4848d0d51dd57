/**
 * What one caller may do. Every request is checked against the caller's grant alone, so the
 * routes and the service never ask how the service was configured.
 */
export interface Grant {
  /** The token's name, for logs and the page; undefined for a caller that sent no token the policy needs. */
  readonly name: string | undefined;
  mayRead(meter: string): boolean;
  mayIngestAnywhere(): boolean;
  /** Each throws the refusal the caller gets when the grant does not allow it. */
  checkRead(meter: string): void;
  checkIngest(meter: string): void;
  checkMetrics(): void;
  /** Storing tariffs and prices, and setting them on meters. */
  checkTariffs(): void;
}

/** Who a request's Authorization header says the caller is, and what they may do. */
export interface AccessPolicy {
  /**
   * The caller's grant, or throws UnauthenticatedError, or TooManyFailuresError for an
   * address that has sent too many unknown tokens lately.
   */
  authenticate(authorization: string | null | undefined, clientAddress: string): Grant;
}

/** The secret of an `Authorization: Bearer <secret>` header, or undefined for any other header. */
export function bearerSecret(authorization: string | null | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
}

import { TooManyFailuresError, UnauthenticatedError } from "../access/access-errors.js";

/** The headers HTTP defines for a refused request: how to authenticate (RFC 9110) and when to try again. */
export function refusalHeaders(error: unknown): Record<string, string> {
  if (error instanceof UnauthenticatedError) return { "www-authenticate": "Bearer" };
  if (error instanceof TooManyFailuresError) return { "retry-after": String(error.retryAfterSeconds) };
  return {};
}

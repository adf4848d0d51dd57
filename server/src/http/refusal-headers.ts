import { TooManyFailuresError, UnauthenticatedError } from "../access/access-errors.js";
import { StoreUnavailableError } from "../store/availability/store-unavailable-error.js";

// A store that went away is probed twice a second, so a second is a fair first wait.
const storeRetryAfterSeconds = 1;

/** The headers HTTP defines for a refused request: how to authenticate (RFC 9110) and when to try again. */
export function refusalHeaders(error: unknown): Record<string, string> {
  if (error instanceof UnauthenticatedError) return { "www-authenticate": "Bearer" };
  if (error instanceof TooManyFailuresError) return { "retry-after": String(error.retryAfterSeconds) };
  if (error instanceof StoreUnavailableError) return { "retry-after": String(storeRetryAfterSeconds) };
  return {};
}

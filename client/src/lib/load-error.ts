import { Code, ConnectError } from "@connectrpc/connect";
import { ServiceError } from "./readings-source.js";
import { signInMessage } from "./session-token.svelte.js";

const unreachable = "The meter usage service did not answer. Check that it is running, then try again.";

/** A sentence for the page about why a request failed. */
export function describeLoadError(error: unknown): string {
  if (error instanceof ServiceError) return error.message;
  // fetch rejects with a TypeError when no response came at all: the service is down or unreachable.
  if (error instanceof TypeError) return unreachable;
  if (error instanceof ConnectError) {
    if (error.cause instanceof TypeError || error.code === Code.Unavailable) return unreachable;
    // The service words these for people: a refused range, a meter that does not exist.
    if (error.code === Code.InvalidArgument || error.code === Code.NotFound) return error.rawMessage;
    if (error.code === Code.Unauthenticated) return signInMessage;
    return `The service could not answer (${Code[error.code]}): ${error.rawMessage}`;
  }
  if (error instanceof SyntaxError) return "The service sent readings that the page could not read.";
  return `Something went wrong: ${String(error)}`;
}

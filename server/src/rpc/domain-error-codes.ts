import { Code } from "@connectrpc/connect";
import { PermissionDeniedError, TooManyFailuresError, UnauthenticatedError } from "../access/access-errors.js";
import { InvalidMeterNameError } from "../meters/meter-name.js";
import { UnknownMeterError } from "../meters/unknown-meter-error.js";
import { StoreUnavailableError } from "../store/availability/store-unavailable-error.js";
import { FollowerTooSlowError } from "../store/follower-too-slow-error.js";
import { NotificationsLostError } from "../store/postgres/notifications-lost-error.js";
import { ReadingConflictError } from "../store/reading-conflict-error.js";
import { InvalidUsageError } from "../usage/invalid-usage-error.js";

/** The gRPC code of each failure a client can cause or must act on; its message goes to the client as it is. */
const codes: [new (...args: never[]) => Error, Code][] = [
  [UnauthenticatedError, Code.Unauthenticated],
  [PermissionDeniedError, Code.PermissionDenied],
  [TooManyFailuresError, Code.ResourceExhausted],
  [UnknownMeterError, Code.NotFound],
  [InvalidMeterNameError, Code.InvalidArgument],
  [InvalidUsageError, Code.InvalidArgument],
  [ReadingConflictError, Code.AlreadyExists],
  [FollowerTooSlowError, Code.ResourceExhausted],
  [NotificationsLostError, Code.Unavailable],
  [StoreUnavailableError, Code.Unavailable],
];

export function domainErrorCode(error: unknown): Code | undefined {
  return codes.find(([type]) => error instanceof type)?.[1];
}

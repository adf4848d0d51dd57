import { PermissionDeniedError, TooManyFailuresError, UnauthenticatedError } from "../access/access-errors.js";
import { CsvFormatError } from "../ingest/csv-format-error.js";
import { IngestError } from "../ingest/ingest-error.js";
import { InvalidMeterNameError } from "../meters/meter-name.js";
import { UnknownMeterError } from "../meters/unknown-meter-error.js";
import { InvalidRangeError } from "../readings/time-range.js";
import { StoreUnavailableError } from "../store/availability/store-unavailable-error.js";
import { ReadingConflictError } from "../store/reading-conflict-error.js";
import { InvalidUsageError } from "../usage/invalid-usage-error.js";

/** The HTTP status of each failure a client can cause or must act on; its message goes to the client as it is. */
const statuses: [new (...args: never[]) => Error, number][] = [
  [UnauthenticatedError, 401],
  [PermissionDeniedError, 403],
  [TooManyFailuresError, 429],
  [UnknownMeterError, 404],
  [InvalidMeterNameError, 400],
  [InvalidRangeError, 400],
  [InvalidUsageError, 400],
  [CsvFormatError, 400],
  [IngestError, 400],
  [ReadingConflictError, 409],
  [StoreUnavailableError, 503],
];

export function domainErrorStatus(error: unknown): number | undefined {
  return statuses.find(([type]) => error instanceof type)?.[1];
}

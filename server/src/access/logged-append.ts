import type { Logger } from "../observability/logger.js";
import type { AppendOptions, AppendResult, MeterReadings, ReadingStore } from "../store/reading-store.js";
import type { Grant } from "./access-policy.js";

/** Runs a log write once the answer it is about is out: the caller knows when that is. */
export type LogWhen = (write: () => void) => void;

/**
 * Stores an ingest's readings once the caller may ingest to each of their meters, and logs who
 * stored how many where: the token's name, never its secret. The line is written when `logWhen`
 * says, after the answer: a synchronous write to a pipe that wakes its reader would otherwise
 * stand between the commit and the reply.
 */
export async function appendAsGranted(
  store: ReadingStore,
  batches: MeterReadings[],
  grant: Grant,
  logger: Logger,
  logWhen: LogWhen,
  options?: AppendOptions,
): Promise<AppendResult> {
  for (const { meter } of batches) grant.checkIngest(meter);
  const result = await store.appendReadings(batches, options);
  const entry = { token: grant.name ?? null, meters: batches.map(({ meter }) => meter), ...result };
  logWhen(() => logger.info(entry, "ingest"));
  return result;
}

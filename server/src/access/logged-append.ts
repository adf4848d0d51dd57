import type { Logger } from "../observability/logger.js";
import type { AppendOptions, AppendResult, MeterReadings, ReadingStore } from "../store/reading-store.js";
import type { Grant } from "./access-policy.js";

/**
 * Stores an ingest's readings once the caller may ingest to each of their meters, and logs who
 * stored how many where: the token's name, never its secret.
 */
export async function appendAsGranted(store: ReadingStore, batches: MeterReadings[], grant: Grant, logger: Logger, options?: AppendOptions): Promise<AppendResult> {
  for (const { meter } of batches) grant.checkIngest(meter);
  const result = await store.appendReadings(batches, options);
  logger.info({ token: grant.name ?? null, meters: batches.map(({ meter }) => meter), ...result }, "ingest");
  return result;
}

import { createHash, timingSafeEqual } from "node:crypto";

export type IngestAccess = "granted" | "disabled" | "unauthenticated";

export const ingestDisabledMessage =
  "ingest is off: start the service with --ingest-token TOKEN (or METERUSAGE_INGEST_TOKEN) and send Authorization: Bearer TOKEN";
export const ingestUnauthenticatedMessage = "ingest needs Authorization: Bearer <the service's ingest token>";

/** Checks an Authorization header against the configured ingest token, in constant time. */
export function checkIngestAccess(configuredToken: string | undefined, authorization: string | null | undefined): IngestAccess {
  if (!configuredToken) return "disabled";
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  if (match === null) return "unauthenticated";
  // Comparing digests gives equal lengths, so the comparison time says nothing about the token.
  return timingSafeEqual(digest(match[1].trim()), digest(configuredToken)) ? "granted" : "unauthenticated";
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

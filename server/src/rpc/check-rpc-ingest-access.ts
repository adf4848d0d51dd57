import { Code, ConnectError } from "@connectrpc/connect";
import { checkIngestAccess, ingestDisabledMessage, ingestUnauthenticatedMessage } from "../ingest/ingest-access.js";

export function checkRpcIngestAccess(configuredToken: string | undefined, headers: Headers): void {
  const access = checkIngestAccess(configuredToken, headers.get("authorization"));
  if (access === "disabled") throw new ConnectError(ingestDisabledMessage, Code.PermissionDenied);
  if (access === "unauthenticated") throw new ConnectError(ingestUnauthenticatedMessage, Code.Unauthenticated);
}

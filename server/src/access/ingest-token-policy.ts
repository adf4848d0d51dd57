import { timingSafeEqual } from "node:crypto";
import { PermissionDeniedError, TooManyFailuresError, UnauthenticatedError } from "./access-errors.js";
import { bearerSecret, type AccessPolicy, type Grant } from "./access-policy.js";
import { FailureThrottle } from "./failure-throttle.js";
import { secretHash } from "./tokens-file.js";

export const ingestDisabledMessage =
  "ingest is off: start the service with --ingest-token TOKEN (or METERUSAGE_INGEST_TOKEN) and send Authorization: Bearer TOKEN";
export const ingestUnauthenticatedMessage = "ingest needs Authorization: Bearer <the service's ingest token>";

/** The name the page and the logs show for a caller holding `--ingest-token`. */
export const ingestTokenName = "ingest-token";

/**
 * Without a tokens file: reads, the metrics and the meter list are open to all, and ingest
 * needs the one `--ingest-token`, which may ingest to every meter; without one, ingest is off.
 * Wrong tokens are throttled as the tokens file's are, so that the one token cannot be
 * guessed at speed either; a request with no token is not a guess and always reads.
 */
export class IngestTokenPolicy implements AccessPolicy {
  readonly #tokenHash: Buffer | undefined;

  constructor(
    ingestToken: string | undefined,
    private readonly throttle = new FailureThrottle(),
  ) {
    this.#tokenHash = ingestToken ? Buffer.from(secretHash(ingestToken), "hex") : undefined;
  }

  authenticate(authorization: string | null | undefined, clientAddress: string): Grant {
    const secret = bearerSecret(authorization);
    if (this.#tokenHash === undefined) return new OpenReadsGrant(undefined, () => new PermissionDeniedError(ingestDisabledMessage));
    const refused = new OpenReadsGrant(undefined, () => new UnauthenticatedError(ingestUnauthenticatedMessage));
    if (secret === undefined) return refused;
    const waitSeconds = this.throttle.retryAfterSeconds(clientAddress);
    if (waitSeconds > 0) throw new TooManyFailuresError(waitSeconds);
    // Comparing digests gives equal lengths, so the comparison time says nothing about the token.
    if (timingSafeEqual(Buffer.from(secretHash(secret), "hex"), this.#tokenHash)) return new OpenReadsGrant(ingestTokenName, undefined);
    this.throttle.recordFailure(clientAddress);
    return refused;
  }
}

class OpenReadsGrant implements Grant {
  constructor(
    readonly name: string | undefined,
    /** Why ingest is refused; undefined when it is allowed to every meter. */
    private readonly ingestRefusal: (() => Error) | undefined,
  ) {}

  mayRead(): boolean {
    return true;
  }

  mayIngestAnywhere(): boolean {
    return this.ingestRefusal === undefined;
  }

  checkRead(): void {}

  checkIngest(): void {
    if (this.ingestRefusal !== undefined) throw this.ingestRefusal();
  }

  checkMetrics(): void {}

  // The one ingest token writes tariffs too: it is the service's one writer.
  checkTariffs(): void {
    this.checkIngest();
  }
}

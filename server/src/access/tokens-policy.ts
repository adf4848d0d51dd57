import { timingSafeEqual } from "node:crypto";
import { PermissionDeniedError, TooManyFailuresError, UnauthenticatedError } from "./access-errors.js";
import { bearerSecret, type AccessPolicy, type Grant } from "./access-policy.js";
import { FailureThrottle } from "./failure-throttle.js";
import { everyMeter, secretHash, type TokenEntry } from "./tokens-file.js";

export const missingTokenMessage = "this service needs Authorization: Bearer <token>";
export const unknownTokenMessage = "the bearer token is not one this service knows";

interface KnownToken {
  hash: Buffer;
  grant: Grant;
}

/** `serve --tokens FILE`: every request needs a named token, which may read and ingest only its meters. */
export class TokensPolicy implements AccessPolicy {
  #tokens: KnownToken[] = [];

  constructor(
    entries: TokenEntry[],
    private readonly throttle = new FailureThrottle(),
  ) {
    this.replace(entries);
  }

  get size(): number {
    return this.#tokens.length;
  }

  /** Swaps in a file's tokens at once: a request is checked against the old set or the new one, never a mix. */
  replace(entries: TokenEntry[]): void {
    this.#tokens = entries.map((entry) => ({ hash: Buffer.from(entry.sha256, "hex"), grant: new TokenGrant(entry) }));
  }

  authenticate(authorization: string | null | undefined, clientAddress: string): Grant {
    const waitSeconds = this.throttle.retryAfterSeconds(clientAddress);
    if (waitSeconds > 0) throw new TooManyFailuresError(waitSeconds);
    const secret = bearerSecret(authorization);
    if (secret === undefined) throw new UnauthenticatedError(missingTokenMessage);
    const hash = Buffer.from(secretHash(secret), "hex");
    // Every token is compared, each in constant time, so the time taken says nothing about which matched.
    let found: Grant | undefined;
    for (const token of this.#tokens) {
      if (timingSafeEqual(token.hash, hash)) found = token.grant;
    }
    if (found !== undefined) return found;
    this.throttle.recordFailure(clientAddress);
    throw new UnauthenticatedError(unknownTokenMessage);
  }
}

class TokenGrant implements Grant {
  readonly name: string;
  readonly #entry: TokenEntry;

  constructor(entry: TokenEntry) {
    this.name = entry.name;
    this.#entry = entry;
  }

  mayRead(meter: string): boolean {
    return covers(this.#entry.read, meter);
  }

  mayIngestAnywhere(): boolean {
    return this.#entry.ingest.length > 0;
  }

  checkRead(meter: string): void {
    if (!this.mayRead(meter)) throw new PermissionDeniedError(`the token ${JSON.stringify(this.name)} may not read the meter ${JSON.stringify(meter)}`);
  }

  checkIngest(meter: string): void {
    if (!covers(this.#entry.ingest, meter)) {
      throw new PermissionDeniedError(`the token ${JSON.stringify(this.name)} may not ingest to the meter ${JSON.stringify(meter)}`);
    }
  }

  checkMetrics(): void {
    if (!this.#entry.metrics) throw new PermissionDeniedError(`the token ${JSON.stringify(this.name)} may not read the metrics`);
  }

  checkTariffs(): void {
    if (!this.#entry.tariffs) throw new PermissionDeniedError(`the token ${JSON.stringify(this.name)} may not write tariffs (its entry needs "tariffs": true)`);
  }
}

function covers(meters: string[], meter: string): boolean {
  return meters.includes(everyMeter) || meters.includes(meter);
}

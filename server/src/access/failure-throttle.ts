export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = { maxFailures: 10, windowMs: 60_000 };

/** Forgets addresses whose failures have all expired once it tracks this many, so memory stays bounded. */
const sweepAbove = 10_000;

/**
 * Counts unknown tokens per client address, so that secrets cannot be guessed at speed: an
 * address with `maxFailures` failures inside the last `windowMs` is refused until the oldest
 * of them is older than that.
 */
export class FailureThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = defaultThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const recent = this.#recent(address);
    if (recent.length < this.limits.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limits.maxFailures] + this.limits.windowMs - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    if (this.#failures.size >= sweepAbove) this.#sweep();
    const recent = this.#recent(address);
    recent.push(this.now());
    this.#failures.set(address, recent.slice(-this.limits.maxFailures));
  }

  #recent(address: string): number[] {
    const since = this.now() - this.limits.windowMs;
    return (this.#failures.get(address) ?? []).filter((time) => time > since);
  }

  #sweep(): void {
    for (const address of [...this.#failures.keys()]) {
      if (this.#recent(address).length === 0) this.#failures.delete(address);
    }
  }
}

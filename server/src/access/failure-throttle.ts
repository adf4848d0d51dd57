export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = { maxFailures: 10, windowMs: 60_000 };

/** Forgets addresses whose failures have all expired once it tracks this many, so memory stays bounded. */
const sweepAbove = 10_000;

/**
 * Counts unknown tokens per client, so that secrets cannot be guessed at speed: a client with
 * `maxFailures` failures inside the last `windowMs` is refused until the oldest of them is
 * older than that. A client is an IPv4 address or an IPv6 /64 (see clientNetwork).
 */
export class FailureThrottle {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly limits: ThrottleLimits = defaultThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfterSeconds(address: string): number {
    const recent = this.#recent(clientNetwork(address));
    if (recent.length < this.limits.maxFailures) return 0;
    return Math.max(1, Math.ceil((recent[recent.length - this.limits.maxFailures] + this.limits.windowMs - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    if (this.#failures.size >= sweepAbove) this.#sweep();
    const network = clientNetwork(address);
    const recent = this.#recent(network);
    recent.push(this.now());
    this.#failures.set(network, recent.slice(-this.limits.maxFailures));
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

/**
 * What one client holds of the address space: an IPv4 address as it is (an IPv4-mapped IPv6
 * one too), and of an IPv6 address its /64, since a home or a host is given a whole /64 and
 * could otherwise guess from a new address each time.
 */
export function clientNetwork(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) return mapped[1];
  if (!address.includes(":")) return address;
  const [head, tail] = address.split("%")[0].toLowerCase().split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill("0"), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

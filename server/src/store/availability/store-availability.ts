import { isStoreUnreachable } from "./store-unavailable-error.js";

export interface AvailabilityChecks {
  /** A cheap read: whether the store answers at all. Health checks ask it while the store is thought available. */
  check(): Promise<unknown>;
  /** Succeeds only once the store can be read and written again; asked while it is unavailable. */
  probe(): Promise<unknown>;
}

export type AvailabilityChange =
  | { available: false; cause: unknown }
  | { available: true; /** From the failure that made it unavailable to the probe that found it back. */ unavailableForMs: number };

/**
 * Whether the store can be used. It turns unavailable at the first store call that fails for
 * the store's sake rather than the request's, and is then probed every `probeEveryMs` until
 * a probe succeeds. Only the probe brings it back: a read that works says nothing of a full
 * disk. No probing while available; health checks ask `confirm()` instead.
 */
export class StoreAvailability {
  private up = true;
  private unavailableSince = 0;
  private probeTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly listeners = new Set<(change: AvailabilityChange) => void>();

  constructor(
    private readonly checks: AvailabilityChecks,
    private readonly probeEveryMs = 500,
  ) {}

  get available(): boolean {
    return this.up;
  }

  watch(listener: (change: AvailabilityChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hears an error of a store call; answers whether it meant the store is unavailable, as it now is. */
  report(error: unknown): boolean {
    if (!isStoreUnreachable(error)) return false;
    if (this.up && !this.stopped) {
      this.up = false;
      this.unavailableSince = performance.now();
      this.tell({ available: false, cause: error });
      this.probeLater();
    }
    return true;
  }

  /** Asks the store a cheap question while it is thought available, so that a health check says what is true now. */
  async confirm(): Promise<void> {
    if (!this.up || this.stopped) return;
    await this.checks.check().catch((error: unknown) => this.report(error));
  }

  /** Stops probing, for good: the service is shutting down. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }

  private probeLater(): void {
    if (this.stopped) return;
    // Unref'd: a probe must not keep a process alive that has nothing else to do.
    this.probeTimer = setTimeout(() => void this.probe(), this.probeEveryMs).unref();
  }

  private async probe(): Promise<void> {
    try {
      await this.checks.probe();
    } catch {
      return this.probeLater();
    }
    if (this.stopped) return;
    this.up = true;
    this.tell({ available: true, unavailableForMs: performance.now() - this.unavailableSince });
  }

  private tell(change: AvailabilityChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

import type { StoreAvailability } from "../store/availability/store-availability.js";

/**
 * Whether the service takes requests: SERVING once the store is open and filled; NOT_SERVING
 * while its store is unavailable, and once it shuts down.
 */
export type ServingState = "SERVING" | "NOT_SERVING";

type Watcher = (state: ServingState) => void;

export class HealthStatus {
  private own: ServingState;
  private told: ServingState;
  private readonly watchers = new Set<Watcher>();

  constructor(
    initial: ServingState,
    private readonly store?: StoreAvailability,
  ) {
    this.own = initial;
    this.told = this.state;
    store?.watch(() => this.tell());
  }

  get state(): ServingState {
    return this.own === "SERVING" && (this.store?.available ?? true) ? "SERVING" : "NOT_SERVING";
  }

  /** The state after asking the store, so that a health check says what is true now, not what the last request found. */
  async confirmed(): Promise<ServingState> {
    if (this.own === "SERVING") await this.store?.confirm();
    return this.state;
  }

  /** The service's own state: NOT_SERVING once it shuts down, whatever the store does. */
  set(state: ServingState): void {
    this.own = state;
    this.tell();
  }

  watch(watcher: Watcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  private tell(): void {
    const state = this.state;
    if (state === this.told) return;
    this.told = state;
    for (const watcher of this.watchers) watcher(state);
  }
}

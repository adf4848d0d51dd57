/** Whether the service takes requests: SERVING once the store is open and filled, NOT_SERVING while it shuts down. */
export type ServingState = "SERVING" | "NOT_SERVING";

type Watcher = (state: ServingState) => void;

export class HealthStatus {
  private current: ServingState;
  private readonly watchers = new Set<Watcher>();

  constructor(initial: ServingState) {
    this.current = initial;
  }

  get state(): ServingState {
    return this.current;
  }

  set(state: ServingState): void {
    if (state === this.current) return;
    this.current = state;
    for (const watcher of this.watchers) watcher(state);
  }

  watch(watcher: Watcher): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}

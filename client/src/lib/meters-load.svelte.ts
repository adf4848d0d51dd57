import type { MeterName } from "./readings-source.js";
import { UsageLoad, type LoadPhase } from "./usage-load.svelte.js";
import type { ViewState } from "./url-state.js";

// The phase a person is told about when meters are in different ones: the first that applies.
const phaseOrder: LoadPhase[] = ["loading", "failed", "cancelled", "live", "done"];

/**
 * The loads of a view's meters, one each, and what they come to together. A view that names
 * no meter shows the service's default one, which requests name as "".
 */
export class MetersLoad {
  loads = $state.raw<UsageLoad[]>([]);
  readonly phase = $derived(phaseOrder.find((phase) => this.loads.some((load) => load.phase === phase)) ?? "loading");
  readonly received = $derived(this.loads.reduce((sum, load) => sum + load.readings.times.length, 0));
  /** The summaries' counts together, once every meter's is known. */
  readonly expected = $derived(
    this.loads.every((load) => load.summary !== undefined) ? this.loads.reduce((sum, load) => sum + load.summary!.count, 0) : undefined,
  );
  readonly unlisted = $derived(this.loads.reduce((sum, load) => sum + load.unlisted, 0));
  /** Distinct messages: a service that is down fails every meter's load alike. */
  readonly errors = $derived([...new Set(this.loads.flatMap((load) => load.errors))]);
  readonly retryable = $derived(this.loads.some((load) => load.retryable));
  #loaded = "";
  readonly #chartWidth: () => number;

  constructor(chartWidth: () => number) {
    this.#chartWidth = chartWidth;
  }

  /**
   * Loads the view's meters. Meters already loaded, or loading, for the same mode, range and
   * Live are kept, so that choosing one more meter loads that one alone.
   */
  start(view: ViewState): void {
    const loaded = `${view.mode} ${view.range.start} ${view.range.end} ${view.live}`;
    const keepable = loaded === this.#loaded ? this.loads.filter((load) => load.phase !== "failed" && load.phase !== "cancelled") : [];
    const meters: MeterName[] = view.meters.length > 0 ? view.meters : [""];
    const next = meters.map((meter) => keepable.find((load) => load.meter === meter) ?? this.#started(meter, view));
    for (const load of this.loads) if (!next.includes(load)) load.cancel();
    this.loads = next;
    this.#loaded = loaded;
  }

  retry(view: ViewState): void {
    for (const load of this.loads) load.start(view);
  }

  cancel(): void {
    for (const load of this.loads) load.cancel();
  }

  #started(meter: MeterName, view: ViewState): UsageLoad {
    const load = new UsageLoad(meter, this.#chartWidth);
    load.start(view);
    return load;
  }
}

import { bucketColumns, type BucketColumns } from "./bucket-columns.js";
import { describeLoadError } from "./load-error.js";
import { loadPlan } from "./load-plan.js";
import { appendColumns, emptyColumns, type ReadingColumns } from "./reading-columns.js";
import { fetchSummary, loadBuckets, loadReadings, type MeterName, type Summary } from "./readings-source.js";
import { rangeProblem } from "./time-range.js";
import type { ViewState } from "./url-state.js";

/** "live": a live view's stream is open and adds readings as they are stored. */
export type LoadPhase = "loading" | "live" | "done" | "cancelled" | "failed";

// New readings often come in bursts; one summary request after a burst is enough.
const summaryRefreshDelayMs = 500;

/**
 * The summary of one meter in a view, then what it calls for: the readings, buckets for the chart when
 * the range holds more readings than the chart can draw, or both. Starting another load, or
 * cancelling, aborts the requests under way, so the service stops reading for them.
 */
export class UsageLoad {
  // Raw: a deep proxy over 100,000 readings would cost more than the rest of the page.
  readings = $state.raw<ReadingColumns>(emptyColumns());
  /** Set, empty at first, when the chart draws buckets rather than the readings. */
  buckets = $state.raw<BucketColumns | undefined>();
  /** Readings of the range left out of the table because there are too many; 0 when all are listed. */
  unlisted = $state(0);
  summary = $state.raw<Summary | undefined>();
  phase = $state<LoadPhase>("loading");
  /** Distinct messages, so a service that is down is reported once, not once per request. */
  errors = $state<string[]>([]);
  /** Whether asking again might help: not for a range the service would refuse anyway. */
  retryable = $state(false);
  #controller = new AbortController();
  readonly meter: MeterName;
  readonly #chartWidth: () => number;

  /** `chartWidth` answers the chart's width in CSS pixels, read once a load knows its range's size. */
  constructor(meter: MeterName, chartWidth: () => number) {
    this.meter = meter;
    this.#chartWidth = chartWidth;
  }

  start(view: ViewState): void {
    this.#controller.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.readings = emptyColumns();
    this.buckets = undefined;
    this.unlisted = 0;
    this.summary = undefined;
    this.errors = [];
    this.retryable = false;
    const problem = rangeProblem(view.range);
    if (problem !== undefined) {
      this.errors = [problem];
      this.phase = "failed";
      return;
    }
    this.phase = "loading";
    this.#load(view, controller.signal).then(
      () => {
        if (!controller.signal.aborted) this.phase = "done";
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        this.phase = "failed";
        this.#report(error);
        // What is still under way would only fill a page that says it failed.
        controller.abort();
      },
    );
  }

  cancel(): void {
    if (this.phase !== "loading" && this.phase !== "live") return;
    this.#controller.abort();
    this.phase = "cancelled";
  }

  async #load(view: ViewState, signal: AbortSignal): Promise<void> {
    // A superseded or cancelled load must not touch the page any more.
    const current = () => !signal.aborted;
    const summary = await fetchSummary(view.range, this.meter, signal);
    if (!current()) return;
    this.summary = summary;
    const plan = loadPlan(summary.count, this.#chartWidth(), view.live);
    const loads: Promise<void>[] = [];
    if (plan.chartBuckets > 0) {
      this.buckets = bucketColumns([]);
      loads.push(
        loadBuckets(view, this.meter, plan.chartBuckets, signal).then((buckets) => {
          if (current()) this.buckets = bucketColumns(buckets);
        }),
      );
    }
    if (!plan.listReadings) this.unlisted = summary.count;
    else {
      if (view.live) this.phase = "live";
      const refreshSummary = this.#summaryRefresher(view, signal);
      loads.push(
        loadReadings(view, this.meter, signal, (batch) => {
          if (!current()) return;
          this.readings = appendColumns(this.readings, batch);
          if (view.live) refreshSummary();
        }),
      );
    }
    await Promise.all(loads);
  }

  /**
   * For a live view: asks for the summary again, shortly, once more readings have arrived than
   * it counts. One request at a time, so that an older answer cannot replace a newer one.
   */
  #summaryRefresher(view: ViewState, signal: AbortSignal): () => void {
    let asked = false;
    const refreshWhenBehind = () => {
      const behind = this.summary !== undefined && this.readings.times.length > this.summary.count;
      if (asked || !behind || signal.aborted) return;
      asked = true;
      setTimeout(() => {
        if (signal.aborted) return;
        fetchSummary(view.range, this.meter, signal).then(
          (summary) => {
            if (signal.aborted) return;
            this.summary = summary;
            asked = false;
            refreshWhenBehind();
          },
          (error: unknown) => {
            if (!signal.aborted) this.#report(error);
          },
        );
      }, summaryRefreshDelayMs);
    };
    return refreshWhenBehind;
  }

  #report(error: unknown): void {
    const message = describeLoadError(error);
    this.retryable = true;
    if (!this.errors.includes(message)) this.errors = [...this.errors, message];
  }
}

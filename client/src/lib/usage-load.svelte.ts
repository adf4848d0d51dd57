import { describeLoadError } from "./load-error.js";
import { appendColumns, emptyColumns, type ReadingColumns } from "./reading-columns.js";
import { fetchSummary, loadReadings, type Summary } from "./readings-source.js";
import { rangeProblem } from "./time-range.js";
import type { ViewState } from "./url-state.js";

/** "live": a live view's stream is open and adds readings as they are stored. */
export type LoadPhase = "loading" | "live" | "done" | "cancelled" | "failed";

// New readings often come in bursts; one summary request after a burst is enough.
const summaryRefreshDelayMs = 500;

/**
 * The readings and summary of one view, loaded together. Starting another load, or
 * cancelling, aborts the requests under way, so the service stops reading for them.
 */
export class UsageLoad {
  // Raw: a deep proxy over 100,000 readings would cost more than the rest of the page.
  readings = $state.raw<ReadingColumns>(emptyColumns());
  summary = $state.raw<Summary | undefined>();
  phase = $state<LoadPhase>("loading");
  /** Distinct messages, so a service that is down is reported once, not once per request. */
  errors = $state<string[]>([]);
  /** Whether asking again might help: not for a range the service would refuse anyway. */
  retryable = $state(false);
  #controller = new AbortController();

  start(view: ViewState): void {
    this.#controller.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.readings = emptyColumns();
    this.summary = undefined;
    this.errors = [];
    this.retryable = false;
    const problem = rangeProblem(view.range);
    if (problem !== undefined) {
      this.errors = [problem];
      this.phase = "failed";
      return;
    }
    this.phase = view.live ? "live" : "loading";
    // A superseded or cancelled load must not touch the page any more.
    const current = () => !controller.signal.aborted;

    // A live view's summary is asked again whenever more readings have arrived than it
    // counts; one request at a time, so an older answer cannot replace a newer one.
    let summaryAsked = true;
    const refreshSummaryWhenBehind = () => {
      const behind = this.summary !== undefined && this.readings.times.length > this.summary.count;
      if (!view.live || summaryAsked || !behind) return;
      summaryAsked = true;
      setTimeout(askSummary, summaryRefreshDelayMs);
    };
    const askSummary = () => {
      if (!current()) return;
      fetchSummary(view.range, controller.signal).then(
        (summary) => {
          if (!current()) return;
          this.summary = summary;
          summaryAsked = false;
          refreshSummaryWhenBehind();
        },
        (error: unknown) => {
          if (current()) this.#report(error);
        },
      );
    };

    askSummary();
    loadReadings(view, controller.signal, (batch) => {
      if (!current()) return;
      this.readings = appendColumns(this.readings, batch);
      refreshSummaryWhenBehind();
    }).then(
      () => {
        if (current()) this.phase = "done";
      },
      (error: unknown) => {
        if (!current()) return;
        this.phase = "failed";
        this.#report(error);
      },
    );
  }

  cancel(): void {
    if (this.phase !== "loading" && this.phase !== "live") return;
    this.#controller.abort();
    this.phase = "cancelled";
  }

  #report(error: unknown): void {
    const message = describeLoadError(error);
    this.retryable = true;
    if (!this.errors.includes(message)) this.errors = [...this.errors, message];
  }
}

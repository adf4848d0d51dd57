import { describeLoadError } from "./load-error.js";
import { dayText, type Day } from "./usage-calendar.js";
import { presetRange, previousRange, type DayRange } from "./usage-range.js";
import { fetchMeterListings, fetchMeterReadings, fetchUsage, type Usage } from "./usage-source.js";
import type { UsageViewState } from "./usage-url-state.js";
import { ZoneClock } from "./usage-zone-clock.js";

/** The meters a view shows, as the service resolved them. */
export interface ChosenMeters {
  names: string[];
  clock: ZoneClock;
  /** The local date of their latest reading, which the range presets are counted from. */
  today: Day;
}

/** One meter's readings over the heatmap's range. */
export interface HeatmapReadings {
  meter: string;
  range: DayRange;
  times: number[];
  values: (number | null)[];
}

// A year of days, and one more for a leap year.
const heatmapDays = 366;

/**
 * Everything the usage view draws, for one state of the address: the meters' usage per
 * period over the range, the range before it when comparing, and one meter's readings (the
 * first, unless the view names another) for the heatmap and the profile. A newer start aborts what an older one still awaits.
 */
export class UsageDashboardLoad {
  meters = $state.raw<ChosenMeters>();
  range = $state.raw<DayRange>();
  current = $state.raw<Usage>();
  previous = $state.raw<Usage>();
  readings = $state.raw<HeatmapReadings>();
  loading = $state(true);
  errors = $state<string[]>([]);
  #controller = new AbortController();
  #metersAskedFor?: string;

  start(view: UsageViewState): void {
    this.#controller.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.loading = true;
    this.errors = [];
    this.#load(view, controller.signal).then(
      () => {
        if (!controller.signal.aborted) this.loading = false;
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        this.loading = false;
        this.errors = [describeLoadError(error)];
        controller.abort();
      },
    );
  }

  async #load(view: UsageViewState, signal: AbortSignal): Promise<void> {
    const meters = await this.#chosenMeters(view.meters, signal);
    if (signal.aborted) return;
    this.meters = meters;
    this.#metersAskedFor = view.meters.join();
    const range = view.range ?? presetRange("last-7-days", meters.today);
    this.range = range;
    const timeZone = meters.clock.timeZone;
    const usageOf = ({ start, end }: DayRange) => fetchUsage({ meters: meters.names, period: view.period, timeZone, start: dayText(start), end: dayText(end) }, signal);
    // Both ranges' bars change together, so that bars are never drawn beside another range's.
    const bothRanges = Promise.all([usageOf(range), view.compare ? usageOf(previousRange(range)) : undefined]).then(([current, previous]) => {
      if (signal.aborted) return;
      this.current = current;
      this.previous = previous;
    });
    const heatmapMeter = view.heatmapMeter !== undefined && meters.names.includes(view.heatmapMeter) ? view.heatmapMeter : meters.names[0];
    await Promise.all([bothRanges, this.#loadReadings(heatmapMeter, meters.clock, range, signal)]);
  }

  async #chosenMeters(names: string[], signal: AbortSignal): Promise<ChosenMeters> {
    if (this.meters !== undefined && this.#metersAskedFor === names.join()) return this.meters;
    // A yearly usage of the whole data is cheap and names the default meter and the zone.
    const [usage, listings] = await Promise.all([fetchUsage({ meters: names, period: "year" }, signal), fetchMeterListings(signal)]);
    const resolved = usage.meters.map(({ meter }) => meter);
    const clock = new ZoneClock(usage.timeZone);
    const lastTimes = listings.filter(({ name, lastTime }) => resolved.includes(name) && lastTime !== undefined).map(({ lastTime }) => Date.parse(lastTime!));
    const latest = lastTimes.length > 0 ? Math.max(...lastTimes) : Date.now();
    return { names: resolved, clock, today: clock.wallClock(latest).day };
  }

  /** The readings of the range's last year at most: a heatmap row is a day, and more would not fit. */
  async #loadReadings(meter: string, clock: ZoneClock, range: DayRange, signal: AbortSignal): Promise<void> {
    const shown = { start: Math.max(range.start, range.end - heatmapDays), end: range.end };
    const loaded = this.readings;
    if (loaded?.meter === meter && loaded.range.start === shown.start && loaded.range.end === shown.end) return;
    const { times, values } = await fetchMeterReadings(meter, clock.midnight(shown.start), clock.midnight(shown.end), signal);
    if (!signal.aborted) this.readings = { meter, range: shown, times, values };
  }
}

/** Values at times, oldest first, as the readings and bucket columns hold them. */
export interface TimedValues<V> {
  readonly times: number[];
  readonly values: V[];
}

/**
 * Several series on one time axis: every time any of them has, once, and each series' value
 * there, or undefined where it has none. The chart draws series this way (uPlot needs them
 * aligned, and joins a line across undefined but breaks it at null), and the side-by-side
 * table lists them so. Each series must be oldest first, as the service sends them.
 */
export function mergeByTime<V>(series: TimedValues<V>[]): { times: number[]; values: (V | undefined)[][] } {
  const times: number[] = [];
  const values = series.map((): (V | undefined)[] => []);
  const next = series.map(() => 0);
  for (;;) {
    let time = Number.POSITIVE_INFINITY;
    for (let s = 0; s < series.length; s++) {
      if (next[s] < series[s].times.length) time = Math.min(time, series[s].times[next[s]]);
    }
    if (time === Number.POSITIVE_INFINITY) return { times, values };
    times.push(time);
    for (let s = 0; s < series.length; s++) {
      const at = series[s].times[next[s]] === time;
      values[s].push(at ? series[s].values[next[s]] : undefined);
      if (at) next[s]++;
    }
  }
}

/**
 * Beyond this many readings per pixel of chart width, a line through every reading is a
 * smear that hides the highs and lows; a mean with a band from the lowest to the highest
 * value shows them. Below it the chart draws each reading, so that a gap is a gap.
 */
const readingsPerPixel = 4;

/**
 * The most readings the table loads. Beyond, loading them takes seconds and tens of
 * megabytes for rows nobody scrolls through; the page asks to zoom in instead.
 */
export const listedReadingsLimit = 200_000;

export interface LoadPlan {
  /** How many buckets the chart asks the service for instead of the readings; 0 draws the readings. */
  chartBuckets: number;
  /** Whether the readings themselves are loaded, for the table and for a chart that draws them. */
  listReadings: boolean;
}

/** What to load for a range of `count` readings and a chart `chartWidth` CSS pixels wide. */
export function loadPlan(count: number, chartWidth: number, live: boolean): LoadPlan {
  // A followed stream cannot be summarized into buckets: its readings arrive one by one.
  if (live || count <= readingsPerPixel * chartWidth) return { chartBuckets: 0, listReadings: true };
  return { chartBuckets: Math.round(chartWidth), listReadings: count <= listedReadingsLimit };
}

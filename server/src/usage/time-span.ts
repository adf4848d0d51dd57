/** A half-open span [start, end) in epoch milliseconds with both bounds known. */
export interface TimeSpan {
  start: number;
  end: number;
}

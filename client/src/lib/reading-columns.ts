/**
 * Readings as two parallel columns rather than one object each: at 100,000 readings this is
 * what the chart takes as is, and it keeps the garbage collector out of the way while a
 * stream grows. Times are epoch milliseconds; null is a missing reading.
 */
export interface ReadingColumns {
  readonly times: number[];
  readonly values: (number | null)[];
}

export function emptyColumns(): ReadingColumns {
  return { times: [], values: [] };
}

/**
 * Adds a batch and answers a new object over the same arrays: copying 100,000 readings for
 * every batch would be slow, and the new identity is what tells Svelte and the chart to update.
 */
export function appendColumns(columns: ReadingColumns, batch: ReadingColumns): ReadingColumns {
  for (let i = 0; i < batch.times.length; i++) {
    columns.times.push(batch.times[i]);
    columns.values.push(batch.values[i]);
  }
  return { times: columns.times, values: columns.values };
}

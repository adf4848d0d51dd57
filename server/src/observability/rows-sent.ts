/**
 * Readings written on each HTTP response, so the request's log line and metrics can say
 * how many were sent without the routes knowing about either.
 */
const counts = new WeakMap<object, number>();

export function addRowsSent(response: object, rows: number): void {
  counts.set(response, (counts.get(response) ?? 0) + rows);
}

export function rowsSentOn(response: object): number {
  return counts.get(response) ?? 0;
}

/** Passes batches through, counting their readings as sent on `response`. */
export async function* countingRowsSent<T extends unknown[]>(batches: AsyncIterable<T>, response: object): AsyncGenerator<T> {
  for await (const batch of batches) {
    addRowsSent(response, batch.length);
    yield batch;
  }
}

import type { Reading, TimeRange } from "../../readings/reading.js";
import { LiveTail } from "../live-tail.js";
import type { NotificationSession } from "./notification-session.js";
import type { ReadingFeed } from "../reading-feed.js";
import type { FollowOptions } from "../reading-store.js";

export interface Page {
  readings: Reading[];
  /** The range holds nothing after this page. */
  isLast: boolean;
}

export interface FollowSource {
  /** The range in keyset pages, oldest first, each read by one statement; a page may hold more than a batch. */
  pages(range: TimeRange, batchSize: number): AsyncIterable<Page>;
  /** Publishes every reading the session hears. */
  feed: ReadingFeed;
  session: NotificationSession;
}

/**
 * Follows a range whose readings other processes store: its stored readings page by page, then
 * every reading whose notice arrives later, each exactly once.
 *
 * A notice can arrive before or after the page whose statement saw its transaction, so by
 * itself it says nothing about whether a page holds its readings. A fence after each page
 * settles that: notices arrive in commit order and the fence commits after the page's
 * statement began, so once it is heard, every notice of a transaction that page saw has
 * arrived. Each reading heard until then is sent live unless that page holds its time (a time
 * is stored at most once and never changes); one after the page would be read by a later page,
 * whose statement begins after the notice arrived, and so is left to it. Notices heard after
 * the fence come from transactions that committed after the page's statement began, so only
 * those behind the page are new to the follower: LiveTail.passedUntil keeps exactly those.
 */
export async function* fencedFollow(
  source: FollowSource,
  meter: string,
  range: TimeRange,
  batchSize: number,
  options: FollowOptions,
): AsyncGenerator<Reading[]> {
  const { session } = source;
  const tail = new LiveTail(range, options.maxQueued);
  let unsettled: Reading[][] | undefined = [];
  const unsubscribe = source.feed.subscribe(meter, (readings) => {
    if (unsettled === undefined) tail.offer(readings);
    else unsettled.push(readings);
  });
  const stop = AbortSignal.any([options.signal, session.lost]);
  try {
    for await (const { readings, isLast } of source.pages(range, batchSize)) {
      await session.fence();
      tail.passedUntil = isLast ? Infinity : readings[readings.length - 1].time;
      const inPage = new Set(readings.map((reading) => reading.time));
      for (const heard of unsettled ?? []) tail.offer(heard.filter((reading) => !inPage.has(reading.time)));
      unsettled = undefined;
      for (let at = 0; at < readings.length; at += batchSize) yield readings.slice(at, at + batchSize);
      if (stop.aborted) break;
      if (!isLast) unsettled = [];
    }
    for (;;) {
      const readings = await tail.take(stop);
      if (readings === undefined) break;
      yield readings;
    }
    if (!options.signal.aborted && session.lost.aborted) throw session.lost.reason;
  } finally {
    unsubscribe();
  }
}

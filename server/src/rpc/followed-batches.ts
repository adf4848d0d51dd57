import type { Reading, TimeRange } from "../readings/reading.js";
import type { ReadingStore } from "../store/reading-store.js";

export interface FollowPolicy {
  /** While no reading arrives, an empty batch goes out this often so proxies keep the stream. */
  heartbeatMs: number;
  /** New readings a slow follower may have waiting before it is stopped. */
  maxQueued: number;
}

export const defaultFollowPolicy: FollowPolicy = { heartbeatMs: 15_000, maxQueued: 100_000 };

// setTimeout takes at most this many milliseconds (about 24.8 days).
const longestTimeout = 2 ** 31 - 1;

/**
 * The stored readings of a range, then new ones as they are stored, with an empty batch as a
 * heartbeat while idle, until the client leaves or the range's end passes.
 */
export async function* followedBatches(
  store: ReadingStore,
  meter: string,
  range: TimeRange,
  batchSize: number,
  clientSignal: AbortSignal,
  policy: FollowPolicy,
): AsyncGenerator<Reading[]> {
  const stop = new AbortController();
  let heartbeat: NodeJS.Timeout | undefined;
  let cancelEndTimer: (() => void) | undefined;
  // Everything is released when following stops, even if the caller never ends the iteration.
  const stopFollowing = () => {
    stop.abort();
    clearTimeout(heartbeat);
    cancelEndTimer?.();
    clientSignal.removeEventListener("abort", stopFollowing);
  };
  clientSignal.addEventListener("abort", stopFollowing, { once: true });
  if (range.end !== undefined) cancelEndTimer = atTime(range.end, stopFollowing);
  const batches = store.follow(meter, range, batchSize, { signal: stop.signal, maxQueued: policy.maxQueued })[Symbol.asyncIterator]();
  try {
    let next = batches.next();
    for (;;) {
      const beat = new Promise<"beat">((resolve) => (heartbeat = setTimeout(resolve, policy.heartbeatMs, "beat")));
      const result = await Promise.race([next, beat]);
      clearTimeout(heartbeat);
      if (result === "beat") {
        yield [];
        continue;
      }
      if (result.done) return;
      yield result.value;
      next = batches.next();
    }
  } finally {
    stopFollowing();
    await batches.return?.();
  }
}

/** Calls `action` once the clock reaches `time`; answers a function that cancels it. */
function atTime(time: number, action: () => void): () => void {
  let timer: NodeJS.Timeout;
  const arm = () => {
    const wait = time - Date.now();
    if (wait <= 0) return action();
    timer = setTimeout(arm, Math.min(wait, longestTimeout));
  };
  arm();
  return () => clearTimeout(timer);
}

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import type { Reading, TimeRange } from "../src/readings/reading.js";
import { listenerName } from "../src/store/postgres/notification-session.js";
import { NotificationsLostError } from "../src/store/postgres/notifications-lost-error.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { readingsChannel } from "../src/store/postgres/reading-notices.js";
import { referenceData } from "./support/reference-data.js";
import { postgresKind, type FollowableStore, type TestStore } from "./support/store-kinds.js";

const kind = postgresKind();

/** Reads a follow until it has `count` readings, failing after `withinMs` with what it lacks. */
async function receive(batches: AsyncIterator<Reading[]>, count: number, withinMs = 20_000): Promise<Reading[]> {
  const received: Reading[] = [];
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(resolve, withinMs, "late")));
  try {
    while (received.length < count) {
      const next = await Promise.race([batches.next(), late]);
      if (next === "late") assert.fail(`only ${received.length} of ${count} readings arrived within ${withinMs} ms`);
      if (next.done) break;
      received.push(...next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return received;
}

/** A follow of the range, and a way to end it that waits until it has let go of the store. */
function follow(store: FollowableStore, range: TimeRange, batchSize = 1000) {
  const abort = new AbortController();
  const batches = store.follow("meterusage", range, batchSize, { signal: abort.signal, maxQueued: 100_000 })[Symbol.asyncIterator]();
  const stop = async () => {
    abort.abort();
    await batches.return?.();
  };
  return { batches, stop };
}

/** `count` times on the minute between the bundled quarter hours, none of them in `taken`. */
function freeTimes(count: number, range: Required<TimeRange>, taken: Set<number>): number[] {
  const quarters = Math.floor((range.end - range.start) / 900_000);
  const times: number[] = [];
  for (let i = taken.size; times.length < count; i++) {
    const time = range.start + ((i * 7919) % quarters) * 900_000 + (1 + (i % 14)) * 60_000;
    if (taken.has(time)) continue;
    taken.add(time);
    times.push(time);
  }
  return times;
}

describe("several PostgreSQL stores on one database, as several processes would have", { skip: kind.skip }, () => {
  let first: TestStore;
  let second: PostgresStore;
  before(async () => {
    first = await kind.open("bundled");
    second = await PostgresStore.open(first.location);
  });
  after(async () => {
    await second.close();
    await first.close();
  });

  // How soon is measured by the bench; here, that each reading arrives, once and in order.
  it("a follower of one hears what another stores, each reading once and in order", async () => {
    const start = Date.parse("2025-01-01T00:00:00Z");
    const { batches, stop } = follow(second, { start });
    const waiting = batches.next();
    try {
      for (let i = 0; i < 3; i++) {
        const reading = { time: start + i * 900_000, value: i };
        const next = i === 0 ? waiting : batches.next();
        await first.store.appendReadings([{ meter: "meterusage", readings: [reading] }]);
        assert.deepEqual((await next).value, [reading]);
      }
    } finally {
      // A follower left behind by a failure here would fail the listener counts of the tests after it.
      await stop();
    }
  });

  it("sends each reading exactly once while another store appends before, inside and after the part read so far", async () => {
    const range = { start: Date.parse("2019-01-01T00:00:00Z"), end: Date.parse("2019-03-01T00:00:00Z") };
    const taken = new Set<number>();
    for (const batchSize of [25, 100, 400]) {
      const stored = (await first.store.summarize("meterusage", range)).count;
      const appended = freeTimes(300, range, taken).map((time, i) => ({ time, value: i }));
      const { batches, stop } = follow(second, range, batchSize);
      const firstPage = (await batches.next()).value!;
      // Four writers, each committing one reading at a time, while the follower reads on.
      const writers = [0, 1, 2, 3].map(async (writer) => {
        for (let i = writer; i < appended.length; i += 4) await first.store.appendReadings([{ meter: "meterusage", readings: [appended[i]] }]);
      });
      const received = [...firstPage, ...(await receive(batches, stored + appended.length - firstPage.length))];
      await Promise.all(writers);
      await stop();
      assert.equal((await batches.next()).done, true);
      const times = new Set(received.map((reading) => reading.time));
      assert.equal(times.size, received.length, `a reading was sent twice with batches of ${batchSize}`);
      assert.deepEqual(appended.filter(({ time }) => !times.has(time)), [], `appended readings never sent with batches of ${batchSize}`);
    }
  });

  it("loses no reading when two of them append to the same chunks of one meter at once", async () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    // Each store appends every other quarter hour, a reading a call, in both directions, so that
    // both keep rewriting the meter's tail chunk and a chunk behind it at the same moments.
    const times = Array.from({ length: 400 }, (_, i) => start + i * 900_000);
    const writer = (store: PostgresStore | FollowableStore, parity: number) => async () => {
      const mine = times.filter((_, i) => i % 2 === parity);
      const order = [...mine.slice(0, 100), ...mine.slice(100).reverse()];
      for (const time of order) await store.appendReadings([{ meter: "shared", readings: [{ time, value: time / 900_000 }] }]);
    };
    await Promise.all([writer(first.store, 0)(), writer(second, 1)(), writer(second, 0)(), writer(first.store, 1)()]);
    const stored: Reading[] = [];
    for await (const batch of second.readBatches("shared", {}, 1000)) stored.push(...batch);
    assert.deepEqual(stored, times.map((time) => ({ time, value: time / 900_000 })));
    assert.equal((await first.store.meter("shared"))?.count, times.length);
  });

  it("passes on notices on its channel that no meterusage process sent, untouched by them", async () => {
    const start = Date.parse("2026-01-01T00:00:00Z");
    const { batches, stop } = follow(second, { start });
    const waiting = batches.next();
    await onDatabase(first.location, async (client) => {
      for (const payload of ["hello", '{"readings":"no"}', '{"readings":[["x",1]]}', "[1,2]"]) {
        await client.query("SELECT pg_notify($1, $2)", [readingsChannel, payload]);
      }
    });
    await first.store.appendReadings([{ meter: "meterusage", readings: [{ time: start, value: 5 }] }]);
    assert.deepEqual((await waiting).value, [{ time: start, value: 5 }]);
    await stop();
  });

  it("ends its followers with NotificationsLostError when the listening connection breaks, and listens again for new ones", async () => {
    const start = Date.parse("2027-01-01T00:00:00Z");
    const { batches } = follow(second, { start });
    const waiting = batches.next();
    await first.store.appendReadings([{ meter: "meterusage", readings: [{ time: start, value: 1 }] }]);
    assert.deepEqual((await waiting).value, [{ time: start, value: 1 }]);

    const ending = assert.rejects(batches.next(), NotificationsLostError);
    await onDatabase(first.location, (client) =>
      client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()", [listenerName]),
    );
    await ending;
    assert.equal(second.feed.listenerCount, 0);

    const again = follow(second, { start });
    assert.deepEqual((await again.batches.next()).value, [{ time: start, value: 1 }]);
    const fresh = again.batches.next();
    await first.store.appendReadings([{ meter: "meterusage", readings: [{ time: start + 900_000, value: 2 }] }]);
    assert.deepEqual((await fresh).value, [{ time: start + 900_000, value: 2 }]);
    await again.stop();
  });
});

async function onDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

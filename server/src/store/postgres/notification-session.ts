import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Reading } from "../../readings/reading.js";
import { NotificationsLostError } from "./notifications-lost-error.js";
import { fencePayload, parseNotice, readingsChannel } from "./reading-notices.js";

// A LISTEN connection stays idle, so a peer that vanished without closing it would go unnoticed;
// a ping this often proves it alive. Every query on it must answer within the timeout.
const pingEveryMs = 30_000;
const answerWithinMs = 10_000;

/** How the connection shows in pg_stat_activity. */
export const listenerName = "meterusage listener";

/**
 * The one LISTENing connection of a PostgreSQL store. It hears, in commit order, the readings
 * that every process stores, and the fences by which followers learn that they have heard
 * every notice of the transactions that committed before some moment.
 */
export class NotificationSession {
  private readonly loss = new AbortController();
  private readonly fences = new Map<string, { heard: () => void; failed: (error: unknown) => void }>();
  private readonly id = randomUUID();
  private fenceCount = 0;
  /** The first payloads of a transaction whose last payload has yet to arrive. */
  private partial: Reading[][] = [];
  private readonly pinger: NodeJS.Timeout;
  private ended: Promise<void> | undefined;

  private constructor(
    private readonly client: pg.Client,
    private readonly hearReadings: (meter: string, readings: Reading[]) => void,
  ) {
    client.on("notification", ({ payload }) => this.hear(payload ?? ""));
    client.on("error", (error) => this.lose(error));
    client.on("end", () => this.lose(new Error("the connection ended")));
    this.pinger = setInterval(() => this.ping(), pingEveryMs).unref();
  }

  static async open(config: pg.ClientConfig, hearReadings: (meter: string, readings: Reading[]) => void): Promise<NotificationSession> {
    const client = new pg.Client({ ...config, query_timeout: answerWithinMs, application_name: listenerName });
    await client.connect();
    const session = new NotificationSession(client, hearReadings);
    try {
      await client.query(`LISTEN ${readingsChannel}`);
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /** Aborts, with a NotificationsLostError as reason, once notices may have been missed. */
  get lost(): AbortSignal {
    return this.loss.signal;
  }

  /**
   * Resolves once every notice of every transaction that committed before this call has been
   * heard: PostgreSQL delivers notices in commit order, and the fence commits after this call.
   */
  async fence(): Promise<void> {
    if (this.lost.aborted) throw this.lost.reason;
    const id = `${this.id}:${this.fenceCount++}`;
    const heard = new Promise<void>((resolve, reject) => this.fences.set(id, { heard: resolve, failed: reject }));
    // The caller learns of a failure from the query below or from the loss; never unhandled.
    heard.catch(() => {});
    // Statements sent together run as one transaction. A fence needs no durability, so it
    // skips waiting for the WAL flush.
    await this.client
      .query(`SET LOCAL synchronous_commit = off; SELECT pg_notify('${readingsChannel}', '${fencePayload(id)}')`)
      .catch((error: unknown) => {
        this.lose(error);
        throw this.lost.reason;
      });
    return heard;
  }

  async close(): Promise<void> {
    this.lose(new Error("the store was closed"));
    await this.ended;
  }

  private hear(payload: string): void {
    const notice = parseNotice(payload);
    // A meter's payloads of one transaction arrive one after another: their transaction added
    // them to the queue together, under a lock that keeps every other transaction out meanwhile.
    if (notice?.kind === "readings" && notice.more) this.partial.push(notice.readings);
    if (notice?.kind === "readings" && !notice.more) {
      this.hearReadings(notice.meter, this.partial.length === 0 ? notice.readings : [...this.partial, notice.readings].flat());
      this.partial = [];
    }
    if (notice?.kind === "fence") {
      this.fences.get(notice.id)?.heard();
      this.fences.delete(notice.id);
    }
  }

  private ping(): void {
    this.client.query("SELECT 1").catch((error: unknown) => this.lose(error));
  }

  private lose(cause: unknown): void {
    if (this.lost.aborted) return;
    const error = new NotificationsLostError(cause);
    this.loss.abort(error);
    clearInterval(this.pinger);
    for (const { failed } of this.fences.values()) failed(error);
    this.fences.clear();
    // A broken connection may fail to end cleanly; it is gone either way.
    this.ended = this.client.end().catch(() => {});
  }
}

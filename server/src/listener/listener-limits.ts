export interface ListenerLimits {
  /** A connection that has not sent its first bytes by then is closed (slowloris). */
  firstBytesTimeoutMs: number;
  /** An HTTP/1.1 request whose headers have not all arrived by then is answered 408. */
  headersTimeoutMs: number;
  /** A connection with no traffic at all for this long is closed; follow streams send heartbeats. */
  idleTimeoutMs: number;
}

export const defaultListenerLimits: ListenerLimits = {
  firstBytesTimeoutMs: 10_000,
  headersTimeoutMs: 15_000,
  idleTimeoutMs: 120_000,
};

/**
 * Where a cumulative register of one meter stands: what turning its messages into interval
 * readings needs to go on after a restart without a gap or a double count. It is saved in the
 * transaction that stores the readings it produced, so the two never disagree.
 */
export interface RegisterState {
  meter: string;
  /** The newest message's time (epoch milliseconds) and register value. */
  time: number;
  value: number;
  /** The start of the first interval not stored yet. */
  intervalStart: number;
  /** The register's increase inside that interval so far. */
  pending: number;
  /** The last few register values, newest last: one of them coming again is a redelivery. */
  recent: number[];
}

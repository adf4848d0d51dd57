/** A share of a many-meter tally, as the tally thread is asked it: meters by id and name, spans by their bounds. */
export interface TallyShare {
  ids: number[];
  names: string[];
  starts: Float64Array;
  ends: Float64Array;
}

/** What the tally thread answers: that it is ready, a share's tallies as packTallies lays them out, or that a share failed. */
export type TallyThreadMessage = { kind: "ready" } | { kind: "tallied"; packed: Float64Array<ArrayBuffer> } | { kind: "failed" };

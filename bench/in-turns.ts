/** Calls of each case before its clock starts, so that the JIT and caches are warm. */
const warmUpCalls = 20;

export interface Turns {
  calls: number;
  seconds: number;
}

/**
 * Runs each case's call over and over, sequentially, for `secondsEach` in all, in `rounds`
 * slices taken in turn, so that the machine's noise falls on every case alike.
 */
export async function inTurns(cases: (() => unknown)[], secondsEach: number, rounds: number): Promise<Turns[]> {
  for (const call of cases) {
    for (let i = 0; i < warmUpCalls; i++) await call();
  }
  const turns = cases.map((): Turns => ({ calls: 0, seconds: 0 }));
  const sliceMs = (secondsEach * 1000) / rounds;
  for (let round = 0; round < rounds; round++) {
    for (const [index, call] of cases.entries()) {
      const started = performance.now();
      let now = started;
      for (; now - started < sliceMs; now = performance.now()) {
        await call();
        turns[index].calls++;
      }
      turns[index].seconds += (now - started) / 1000;
    }
  }
  return turns;
}

/**
 * Round steps for a value axis from at most `min` to at least `max`, zero always among them:
 * about `count` ticks of 1, 2 or 5 times a power of ten. Costs go below zero where prices are
 * negative, and exported energy where a meter counts it so.
 */
export function valueTicks(min: number, max: number, count: number): number[] {
  const low = Math.min(0, min);
  const high = Math.max(0, max);
  if (!(high - low > 0)) return [0, 1];
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough)!;
  const ticks = [];
  for (let index = Math.floor(low / step); index * step < high + step; index++) ticks.push(Number((index * step).toPrecision(12)));
  return ticks;
}

/**
 * Where each part of a period's bars lies when parts above zero stack up from it and parts
 * below zero stack down from it, so an energy cost below zero and a standing charge above it
 * both show. `stacked` puts every meter's parts on one stack; otherwise each meter has its own.
 */
export function stackParts(meters: number[][], stacked: boolean): { from: number; to: number }[][] {
  let up = 0;
  let down = 0;
  return meters.map((parts) => {
    if (!stacked) [up, down] = [0, 0];
    return parts.map((value) => {
      if (value >= 0) return { from: up, to: (up += value) };
      return { from: down, to: (down += value) };
    });
  });
}

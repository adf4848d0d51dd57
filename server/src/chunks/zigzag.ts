// Zigzag folds signed integers into unsigned ones with small magnitudes staying small
// (0, -1, 1, -2 -> 0, 1, 2, 3), so a delta of -3 costs as few bits as one of +3. Arithmetic,
// not bit operators, since the integers here run up to 2^52.

/** For |value| < 2^52, so the result stays below 2^53. */
export function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}

export function unzigzag(folded: number): number {
  return folded % 2 === 0 ? folded / 2 : -(folded + 1) / 2;
}

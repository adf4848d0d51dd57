// Meter values are decimals (55.09, 1234.567), and a decimal has no exact binary form, so their
// float bits look random to a float coder (Gorilla XOR spends 6-8 B on each). As integers
// scaled by 10^e they are small and their deltas smaller still. Exactness is not assumed from
// the digits: a value is taken at exponent e only when dividing its scaled integer by 10^e,
// exactly as the decoder will, gives back the same float64.

/** 10^e for e in 0..15, each exact in a float64, so the decoder's division rounds once, correctly. */
export const powersOfTen = Float64Array.from({ length: 16 }, (_, e) => 10 ** e);
export const maxExponent = 15;
/** Scaled integers stay under 2^51 in magnitude, so their deltas stay under 2^52 and zigzag under 2^53. */
const maxScaled = 2 ** 51;

/**
 * The smallest e in 0..15 at which every one of `values[0, count)` is an integer over 10^e that
 * reads back as the same float64 (-0 may read as 0), or -1 when there is none (fractions of a
 * binary kind, subnormals, infinities, values past 2^51 / 10^e).
 */
export function decimalExponent(values: Float64Array, count: number): number {
  let e = 0;
  let scale = 1;
  // Raised on the first value that needs more, then every value is checked again at the new e:
  // a value exact at e is almost always exact at e + 1 too, but the check costs less than a proof.
  for (let i = 0; i < count; i++) {
    const value = values[i];
    if (fits(value, scale)) continue;
    do {
      if (++e > maxExponent) return -1;
      scale = powersOfTen[e];
    } while (!fits(value, scale));
    i = -1;
  }
  return e;
}

function fits(value: number, scale: number): boolean {
  const scaled = Math.round(value * scale);
  return scaled / scale === value && scaled < maxScaled && scaled > -maxScaled;
}

// Numbers as JavaScript's String() writes them, written straight into bytes.

// Up to a millionth: readings have a few decimals, their means of a few periods a few more.
const powersOfTen = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000];
// A decimal of at most 15 significant digits reads back as its own double, and no two read as one.
const fifteenDigits = 1e15;

/** The texts of a list of numbers, one after another, from one JSON.stringify of them all: the same texts as String() writes. */
export class NumberTexts {
  private readonly text: string;
  private next = 0;
  // Where the next number's text starts, after "[" or a comma.
  private at = 1;

  constructor(private readonly values: number[]) {
    this.text = JSON.stringify(values);
  }

  /** Writes the text of `value` at `at` when it is the next of the list, and answers where it ends; -1 when it is not. */
  write(bytes: Uint8Array, at: number, value: number): number {
    if (this.values[this.next] !== value) return -1;
    const text = this.text;
    let i = this.at;
    for (let code = text.charCodeAt(i); code !== 0x2c && code !== 0x5d; code = text.charCodeAt(++i)) bytes[at++] = code;
    this.at = i + 1;
    this.next++;
    return at;
  }
}

// The longest text String() writes for a finite double, "-1.2345678901234567e-308"; 25 for room.
export const maxNumberText = 25;

/** Whether writeShortDecimal writes `value`: a finite number it does not is one for expectLongNumbers. */
export function hasShortDecimal(value: number): boolean {
  return shortDecimals(value) >= 0;
}

/**
 * Writes `value` at `at` as String(value) does when it is the double nearest some whole n over
 * 10^k, k <= 6, with n below 10^15 (readings, and sums and means of a few of them, mostly are),
 * and answers where it ends (at most 17 bytes on: a sign, 15 digits and a point); answers -1, writing nothing
 * that counts, for any other value (17-digit sums, tiny or huge values), which String writes.
 *
 * Why this is String(value): n's digits with the point put in, trailing zeros dropped, read back
 * as value, and distinct decimals of at most 15 significant digits are distinct doubles, so no
 * shorter decimal does: it is the shortest, which is what JavaScript prints, in plain notation
 * between 1e-7 and 1e21.
 */
export function writeShortDecimal(bytes: Uint8Array, at: number, value: number): number {
  const decimals = shortDecimals(value);
  return decimals < 0 ? -1 : writeDecimal(bytes, at, Math.round(value * powersOfTen[decimals]), decimals);
}

/** The k of writeShortDecimal's n over 10^k (6 may stand for fewer: writeDecimal drops trailing zeros), or -1 when there is none. */
function shortDecimals(value: number): number {
  // Where a millionth of the value still has under 15 digits, one try at six decimals says
  // for every count of decimals: a value that is some n over 10^k, k < 6, is n x 10^(6-k)
  // millionths. Sums and means of 17 digits, most of a priced answer's numbers, go straight to
  // String instead of after seven tries.
  const millionths = Math.round(value * 1_000_000);
  if (millionths < fifteenDigits && millionths > -fifteenDigits) return millionths / 1_000_000 === value ? 6 : -1;
  for (let decimals = 0; decimals < powersOfTen.length; decimals++) {
    const scale = powersOfTen[decimals];
    const whole = Math.round(value * scale);
    if (whole / scale === value && whole < fifteenDigits && whole > -fifteenDigits) return decimals;
  }
  return -1;
}

/** whole / 10^decimals in plain notation, without trailing zeros, -0 as 0: answers where it ends. */
function writeDecimal(bytes: Uint8Array, at: number, whole: number, decimals: number): number {
  if (whole < 0) {
    bytes[at++] = 0x2d;
    whole = -whole;
  }
  const scale = powersOfTen[decimals];
  // The fraction is under a million: its zeros come off in int32 arithmetic.
  let fraction = whole % scale | 0;
  at = wholeDigits(bytes, at, (whole - fraction) / scale);
  while (decimals > 0 && fraction % 10 === 0) {
    fraction = (fraction / 10) | 0;
    decimals--;
  }
  return fractionDigits(bytes, at, fraction, decimals);
}

/** The digits of a whole number from 0 up to 2^53, written at `at`: answers where they end. */
export function wholeDigits(bytes: Uint8Array, at: number, value: number): number {
  let digits = 1;
  for (let power = 10; power <= value; power *= 10) digits++;
  // Below 2^31 in int32 arithmetic, whose remainders cost a fraction of a double's.
  if (value <= 0x7fffffff) {
    let small = value | 0;
    for (let i = at + digits - 1; i >= at; i--) {
      const digit = small % 10;
      bytes[i] = 0x30 + digit;
      small = ((small - digit) / 10) | 0;
    }
    return at + digits;
  }
  for (let i = at + digits - 1; i >= at; i--) {
    const digit = value % 10;
    bytes[i] = 0x30 + digit;
    value = (value - digit) / 10;
  }
  return at + digits;
}

/** A point and `decimals` digits of `fraction` (below 10^decimals), or nothing when there are none. */
function fractionDigits(bytes: Uint8Array, at: number, fraction: number, decimals: number): number {
  if (decimals === 0) return at;
  bytes[at] = 0x2e;
  let small = fraction | 0;
  for (let i = at + decimals; i > at; i--) {
    const digit = small % 10;
    bytes[i] = 0x30 + digit;
    small = ((small - digit) / 10) | 0;
  }
  return at + decimals + 1;
}

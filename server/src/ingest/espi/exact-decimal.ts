/** A number as the decimal its shortest text means: digits x 10^exponent, with no trailing zeros in the digits. */
export interface Decimal {
  digits: string;
  exponent: number;
}

/** 0.819 is 819 x 10^-3: what String() writes, which is the shortest decimal that reads back as the same double. */
export function decimalOf(value: number): Decimal {
  const [mantissaText, exponentText = "0"] = String(value).split("e");
  const negative = mantissaText.startsWith("-");
  let mantissa = negative ? mantissaText.slice(1) : mantissaText;
  let exponent = Number(exponentText);
  const dot = mantissa.indexOf(".");
  if (dot !== -1) {
    exponent -= mantissa.length - dot - 1;
    mantissa = mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  }
  mantissa = mantissa.replace(/^0+(?=\d)/, "");
  while (mantissa.length > 1 && mantissa.endsWith("0")) {
    mantissa = mantissa.slice(0, -1);
    exponent++;
  }
  if (mantissa === "0") exponent = 0;
  return { digits: negative && mantissa !== "0" ? `-${mantissa}` : mantissa, exponent };
}

/** The integer that is `decimal` in units of 10^power, as text; power is at most the decimal's exponent. */
export function scaledInteger({ digits, exponent }: Decimal, power: number): string {
  return digits === "0" ? "0" : digits + "0".repeat(exponent - power);
}

/** value x 10^power as the double nearest the exact decimal: 819 and -3 give 0.819, never 0.8190000000000001. */
export function scaledValue(integerText: string, power: number): number {
  return Number(power === 0 ? integerText : `${integerText}e${power}`);
}

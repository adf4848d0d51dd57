// Distinct for the common kinds of colour blindness (Okabe and Ito), darkest first so that
// a single meter's bars are strong against the white chart.
const meterColors = ["#0b5cad", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];

export function meterColor(index: number): string {
  return meterColors[index % meterColors.length];
}

/** The previous range's bars: faint, so that they read as background to this range's. */
export const previousFill = "rgba(87, 96, 106, 0.22)";
export const previousEdge = "rgba(27, 31, 36, 0.7)";

// The typical day's two lines, apart from the meters' colours: both lines are of one meter.
export const weekdayColor = "#1b1f24";
export const weekendColor = "#d55e00";

/** The standing-charge part of a cost bar, on top of its meter's energy part. */
export const standingChargeFill = "rgba(87, 96, 106, 0.55)";

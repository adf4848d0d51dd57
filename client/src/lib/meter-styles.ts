/**
 * How each shown meter is drawn, by its place among the chosen ones. Colours that stay apart
 * for the common kinds of colour blindness (after Okabe and Ito), darkened to at least 3:1
 * against the white chart as WCAG asks of graphics; the last four are dashed as well, so that
 * no two lines rely on colour alone.
 */
const colors = ["#0b5cad", "#c45a00", "#1a7f37", "#8250df", "#bf3989", "#0e7c86", "#8a6100", "#24292f"];

export interface MeterStyle {
  color: string;
  /** uPlot's dash pattern, in CSS pixels; empty for a solid line. */
  dash: number[];
}

export function meterStyle(index: number): MeterStyle {
  return { color: colors[index % colors.length], dash: index < 4 ? [] : [6, 3] };
}

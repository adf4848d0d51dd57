// Viridis at five stops: light to dark reads as low to high in print, to the colour blind and in grey.
const stops = ["#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"];
const rgb = stops.map((hex) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)));

/** The colour of `value` between `min` and `max`, low values light. */
export function scaleColor(value: number, min: number, max: number): string {
  const position = max > min ? ((value - min) / (max - min)) * (stops.length - 1) : 0;
  const index = Math.min(Math.floor(position), stops.length - 2);
  const share = position - index;
  const [r, g, b] = rgb[index].map((channel, at) => Math.round(channel + (rgb[index + 1][at] - channel) * share));
  return `rgb(${r}, ${g}, ${b})`;
}

/** The scale as a CSS gradient, for its legend. */
export const scaleGradient = `linear-gradient(to right, ${stops.join(", ")})`;

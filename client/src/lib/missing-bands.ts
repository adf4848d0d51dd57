import type uPlot from "uplot";

/**
 * A uPlot plugin that shades where readings are missing: at each point of the chart's data
 * for which `isMissing` answers true. The line's own gap spans one interval, which is under
 * a pixel when a month is on screen; a band at least a few pixels wide keeps every missing
 * reading visible at any zoom.
 */
export function missingBands(color: string, isMissing: (chart: uPlot, index: number) => boolean, minWidthCss = 3): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (chart) => {
          const times = chart.data[0];
          const { ctx } = chart;
          const { left, top, width: plotWidth, height } = chart.bbox;
          const minWidth = minWidthCss * devicePixelRatio;
          ctx.save();
          // Bands at the edges, widened to the minimum, must not spill over the axes.
          ctx.beginPath();
          ctx.rect(left, top, plotWidth, height);
          ctx.clip();
          ctx.fillStyle = color;
          for (let i = 0; i < times.length; i++) {
            if (!isMissing(chart, i)) continue;
            // The line stops at the neighbours of a missing point, so the band spans them.
            const from = chart.valToPos(times[Math.max(0, i - 1)], "x", true);
            const to = chart.valToPos(times[Math.min(times.length - 1, i + 1)], "x", true);
            const width = Math.max(to - from, minWidth);
            ctx.fillRect((from + to) / 2 - width / 2, top, width, height);
          }
          ctx.restore();
        },
      ],
    },
  };
}

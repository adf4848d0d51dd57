// Run by hand: node --import tsx server/test/measure-calendar-periods.ts
// Times calendarPeriods over one year (2019) per period and zone, as the median of many runs
// after a warm-up, and one cold run per zone (the first call makes the zone's formatter).
import { calendarPeriods } from "../src/usage/calendar-periods.js";
import type { Period } from "../src/usage/period.js";

const year = { start: Date.UTC(2019, 0, 1), end: Date.UTC(2020, 0, 1) };
const zones = ["Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "America/Santiago"];
const measured: Period[] = ["hour", "day", "week", "month"];
const runs = 200;

function milliseconds(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

for (const zone of zones) {
  const cold = milliseconds(() => calendarPeriods(year, "hour", zone));
  const medians = measured.map((period) => {
    for (let i = 0; i < 20; i++) calendarPeriods(year, period, zone);
    const times = Array.from({ length: runs }, () => milliseconds(() => calendarPeriods(year, period, zone))).sort((a, b) => a - b);
    return `${period} ${times[runs >> 1].toFixed(3)} ms (p95 ${times[Math.floor(runs * 0.95)].toFixed(3)})`;
  });
  console.log(`${zone.padEnd(20)} cold hour ${cold.toFixed(2)} ms; ${medians.join("; ")}`);
}

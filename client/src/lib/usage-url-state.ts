import { dayText, parseDay } from "./usage-calendar.js";
import type { DayRange } from "./usage-range.js";

export const usagePeriods = ["hour", "day", "week", "month"] as const;
export type UsagePeriod = (typeof usagePeriods)[number];

/** How the bars of several meters share a period: one on another, or side by side. */
export type Stacking = "stacked" | "grouped";

/** What the bars measure: the meters' energy, or what it cost where a meter has a tariff. */
export type Measure = "energy" | "cost";

/** What the address holds of the usage view: ?view=usage&meters=a,b&period=day&start=&end=&compare=1&bars=grouped&show=cost&heatmap=b. */
export interface UsageViewState {
  /** None: the service's default meter. */
  meters: string[];
  period: UsagePeriod;
  /** Local dates of the meters' zone; absent: the last 7 days of the data. */
  range?: DayRange;
  compare: boolean;
  stacking: Stacking;
  measure: Measure;
  /** The meter whose heatmap and typical day are shown; absent: the first meter. */
  heatmapMeter?: string;
}

export const defaultUsageView: UsageViewState = { meters: [], period: "day", compare: false, stacking: "stacked", measure: "energy" };

const meterName = /^[A-Za-z0-9._:-]{1,128}$/;

/** The usage view the address asks for, with what of it could not be read; undefined for another view. */
export function readUsageViewState(search: string): { state: UsageViewState; problems: string[] } | undefined {
  const query = new URLSearchParams(search);
  if (query.get("view") !== "usage") return undefined;
  const problems: string[] = [];
  const meters = (query.get("meters") ?? "").split(",").filter((name) => name !== "");
  const badMeters = meters.filter((name) => !meterName.test(name));
  if (badMeters.length > 0) problems.push(`The address's meters ${badMeters.map((name) => `"${name}"`).join(", ")} are not meter names, so they are left out.`);
  const periodText = query.get("period") ?? "day";
  const period = usagePeriods.find((name) => name === periodText);
  if (period === undefined) problems.push(`The address's period "${periodText}" is not one of ${usagePeriods.join(", ")}, so days are shown.`);
  const range = readRange(query, problems);
  const heatmapMeter = query.get("heatmap") ?? undefined;
  if (heatmapMeter !== undefined && !meterName.test(heatmapMeter)) problems.push(`The address's heatmap meter "${heatmapMeter}" is not a meter name, so the first meter's is shown.`);
  return {
    state: {
      meters: meters.filter((name) => meterName.test(name)),
      period: period ?? "day",
      range,
      compare: query.get("compare") === "1",
      stacking: query.get("bars") === "grouped" ? "grouped" : "stacked",
      measure: query.get("show") === "cost" ? "cost" : "energy",
      heatmapMeter: heatmapMeter !== undefined && meterName.test(heatmapMeter) ? heatmapMeter : undefined,
    },
    problems,
  };
}

function readRange(query: URLSearchParams, problems: string[]): DayRange | undefined {
  const startText = query.get("start");
  const endText = query.get("end");
  if (startText === null && endText === null) return undefined;
  const start = parseDay(startText ?? "");
  const end = parseDay(endText ?? "");
  if (start === undefined || end === undefined || start >= end) {
    problems.push(`The address's range "${startText ?? ""}" to "${endText ?? ""}" is not two dates (2019-03-25) with the start first, so the last 7 days are shown.`);
    return undefined;
  }
  return { start, end };
}

export function usageViewSearch({ meters, period, range, compare, stacking, measure, heatmapMeter }: UsageViewState): string {
  const parts = ["view=usage"];
  if (meters.length > 0) parts.push(`meters=${meters.join(",")}`);
  parts.push(`period=${period}`);
  if (range !== undefined) parts.push(`start=${dayText(range.start)}`, `end=${dayText(range.end)}`);
  if (compare) parts.push("compare=1");
  if (stacking === "grouped") parts.push("bars=grouped");
  if (measure === "cost") parts.push("show=cost");
  if (heatmapMeter !== undefined) parts.push(`heatmap=${heatmapMeter}`);
  return `?${parts.join("&")}`;
}

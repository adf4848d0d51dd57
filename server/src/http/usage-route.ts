import type { Grant } from "../access/access-policy.js";
import type { MeterChoice } from "../access/meter-choice.js";
import type { TimeRange } from "../readings/reading.js";
import { checkRange, InvalidRangeError } from "../readings/time-range.js";
import { formatTimestamp, parseTimestamp, timestampFormatHint } from "../readings/timestamp-text.js";
import type { ReadingStore } from "../store/reading-store.js";
import { InvalidUsageError } from "../usage/invalid-usage-error.js";
import { parsePeriod, periods } from "../usage/period.js";
import { readPricedUsage } from "../pricing/read-priced-usage.js";
import type { Usage } from "../usage/read-usage.js";
import { checkTimeZone, localMidnight } from "../usage/time-zone.js";
import type { HttpResponse } from "./http-types.js";
import { sendError, sendJsonBytes } from "./send-json.js";
import { usageRouteJson } from "./usage-json.js";

/**
 * GET /api/usage?meter=a&meter=b&period=day&tz=Europe/London&start=&end=[&format=csv]: the
 * meters' usage per calendar period, as GetUsage answers it, in proto JSON names with counts
 * as numbers, with costs where a meter has a tariff; or a CSV of one row a period with each
 * meter's sum, and its cost after it where it has a tariff. `start` and `end` may be
 * bare dates, meaning local midnight in the time zone.
 */
export async function serveUsage(
  store: ReadingStore,
  meters: MeterChoice,
  grant: Grant,
  response: HttpResponse,
  query: URLSearchParams,
): Promise<void> {
  const format = query.get("format") ?? "json";
  if (format !== "json" && format !== "csv") {
    return sendError(response, 400, `the \`format\` parameter ${JSON.stringify(format)} is neither json nor csv`);
  }
  const periodText = query.get("period");
  if (!periodText) throw new InvalidUsageError("period", `the \`period\` parameter is needed: one of ${periods.join(", ")}`);
  const period = parsePeriod(periodText, "period");
  const asked = query.getAll("meter");
  const chosen = await meters.metersToRead(asked.length > 0 ? asked : [""], grant, () => "the `meter` parameter");
  const tz = query.get("tz");
  const timeZone = tz ? checkTimeZone(tz, "tz") : chosen[0].timeZone;
  const range: TimeRange = checkRange({ start: boundOf(query, "start", timeZone), end: boundOf(query, "end", timeZone) });
  const usage = await readPricedUsage(store, { meters: chosen, range, period, timeZone });
  if (format === "json") return sendJsonBytes(response, 200, usageRouteJson(usage));
  response.writeHead(200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="usage_${period}_${chosen.map(({ name }) => name).join("+")}.csv"`,
  });
  response.end(usageCsv(usage));
}

/** A bound as an instant, or a bare date as its local midnight in the zone. */
function boundOf(query: URLSearchParams, name: string, timeZone: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === "") return undefined;
  const time = localMidnight(text, timeZone) ?? parseTimestamp(text);
  if (time === undefined) {
    throw new InvalidRangeError(name, `the \`${name}\` parameter ${JSON.stringify(text)} is not a time or a date: ${timestampFormatHint}; a bare date is midnight in the time zone`);
  }
  return time;
}

/** A column a meter, followed by `<meter>:cost` for a meter with a tariff. */
function usageCsv(usage: Usage): string {
  const lines = [["start", "end", ...usage.meters.flatMap(({ meter, currency }) => (currency ? [meter, `${meter}:cost`] : [meter]))].join(",")];
  const [first] = usage.meters;
  first.periods.forEach(({ start, end }, index) => {
    const cells = usage.meters.flatMap(({ periods, currency }) => (currency ? [periods[index].sum, periods[index].cost] : [periods[index].sum]));
    lines.push([formatTimestamp(start), formatTimestamp(end), ...cells].join(","));
  });
  return `${lines.join("\n")}\n`;
}

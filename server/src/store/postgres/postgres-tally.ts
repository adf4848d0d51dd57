import type pg from "pg";
import { addTotal, emptyTally, type Tally, type TimeSpan } from "../../readings/tally.js";
import { millisOf, timestamptzText } from "./postgres-time.js";
import { addedUpByDatabase, addTotalsInOrder, coveringRange, type StoredTotal } from "../stored-totals.js";
import { usageSpans, type IndexedSpan } from "../usage-spans.js";
import { usageLevels, type UsageLevel } from "../usage-totals.js";

type SumRow = [meterIndex: string, spanIndex: number, count: string | null, missingCount: string | null, sum: number, min: number | null, max: number | null];
type RangeRow = [meterIndex: string, start: string, count: string, missingCount: string, sum: number, min: number | null, max: number | null];

/**
 * Each meter's sum over each part, every (meter, part) an index range scan of its own: the
 * subquery is LATERAL because the planner, not knowing how many spans an array holds, would
 * otherwise compare every span with every row (11 s for a year of hours).
 */
const partSums = (name: string, table: string, time: string, [count, missing, sum, min, max]: string[]) => ({
  name,
  text: `SELECT m.i - 1, s.i, a.*
         FROM unnest($1::int[]) WITH ORDINALITY AS m (id, i)
         CROSS JOIN unnest($2::int[], $3::timestamptz[], $4::timestamptz[]) AS s (i, start_time, end_time)
         CROSS JOIN LATERAL (
           SELECT ${count}, ${missing}, coalesce(${sum}, 0), ${min}, ${max} FROM ${table} AS t
           WHERE t.meter = m.id AND t.${time} >= s.start_time AND t.${time} < s.end_time
         ) AS a`,
});
const totalsColumns = ["sum(t.value_count)", "sum(t.missing_count)", "sum(t.value_sum)", "min(t.value_min)", "max(t.value_max)"];
const readingsColumns = ["count(t.value)", "count(*) - count(t.value)", "sum(t.value)", "min(t.value)", "max(t.value)"];

/** Each meter's stored totals between two times, meter by meter in time order. */
const totalsInRange = (level: UsageLevel) => ({
  name: `meterusage-${level.table}-range`,
  text: `SELECT m.i - 1, ${millisOf("t.span_start")}, t.value_count, t.missing_count, t.value_sum, t.value_min, t.value_max
         FROM unnest($1::int[]) WITH ORDINALITY AS m (id, i)
         CROSS JOIN LATERAL (
           SELECT * FROM ${level.table} AS t WHERE t.meter = m.id AND t.span_start >= $2 AND t.span_start < $3
         ) AS t
         ORDER BY m.i, t.span_start`,
});

const levelQueries = usageLevels.map((level) => ({
  level,
  sums: partSums(`meterusage-${level.table}-sums`, level.table, "span_start", totalsColumns),
  range: totalsInRange(level),
}));
const edgeSums = partSums("meterusage-reading-sums", "readings", "time", readingsColumns);

/**
 * Meters' tallies over spans from the daily and hourly totals, and from the readings for the
 * edges cut off mid-hour; meters are ids.
 */
export async function postgresTally(pool: pg.Pool, meters: number[], spans: TimeSpan[]): Promise<Tally[][]> {
  const tallies = meters.map(() => spans.map(emptyTally));
  const { days, hours, edges } = usageSpans(spans);
  const sumParts = async (query: { name: string; text: string }, parts: IndexedSpan[]) => {
    const { rows } = await pool.query<SumRow>({
      ...query,
      values: [meters, parts.map(([span]) => span), parts.map(([, start]) => timestamptzText(start)), parts.map(([, , end]) => timestamptzText(end))],
      rowMode: "array",
    });
    for (const [meter, span, count, missingCount, sum, min, max] of rows) {
      addTotal(tallies[Number(meter)][span], Number(count), Number(missingCount), sum, min, max);
    }
  };
  const readRange = async (query: { name: string; text: string }, parts: IndexedSpan[]) => {
    const { rows } = await pool.query<RangeRow>({ ...query, values: [meters, ...coveringRange(parts).map(timestamptzText)], rowMode: "array" });
    const perMeter: StoredTotal[][] = meters.map(() => []);
    for (const [meter, start, count, missingCount, sum, min, max] of rows) {
      perMeter[Number(meter)].push([Number(start), Number(count), Number(missingCount), sum, min, max]);
    }
    perMeter.forEach((totals, meter) => addTotalsInOrder(tallies[meter], parts, totals));
  };
  const levelParts = [days, hours];
  await Promise.all([
    ...levelQueries.map(({ level, sums, range }, index) => {
      const parts = levelParts[index];
      if (parts.length === 0) return undefined;
      return addedUpByDatabase(parts, level.width) ? sumParts(sums, parts) : readRange(range, parts);
    }),
    edges.length > 0 ? sumParts(edgeSums, edges) : undefined,
  ]);
  return tallies;
}

import type Database from "better-sqlite3";
import { emptyTally, type Tally, type TimeSpan } from "../readings/tally.js";
import { usageSpans, type IndexedSpan } from "./usage-spans.js";
import { usageLevels, type UsageLevel } from "./usage-totals.js";

type TotalsRow = [spanStart: number, count: number, missingCount: number, sum: number, min: number | null, max: number | null];
type SumRow = [count: number, missingCount: number, sum: number, min: number | null, max: number | null];
type EdgeRow = [meterIndex: number, spanIndex: number, count: number, missingCount: number, sum: number, min: number | null, max: number | null];

/**
 * Parts at least this many stored totals wide on average are added up by SQLite, a statement
 * a part; narrower ones are read as one range of totals a meter and added up here. Handing a
 * row to JavaScript costs about as much as a statement adding up three or four in SQLite, so a
 * year of local days (23 to 25 hours each) is a statement a day, a year of hours one range.
 */
const widthAddedUpInSqlite = 4;

interface LevelStatements {
  level: UsageLevel;
  range: Database.Statement<[number, number, number], TotalsRow>;
  sum: Database.Statement<[number, number, number], SumRow>;
}

/**
 * Meters' tallies over spans from the daily and hourly totals, and from the readings for the
 * edges cut off mid-hour.
 */
export class SqliteTally {
  private readonly levels: LevelStatements[];
  private readonly edges: Database.Statement<[string, string], EdgeRow>;

  constructor(db: Database.Database) {
    this.levels = usageLevels.map((level) => ({
      level,
      range: db
        .prepare<[number, number, number], TotalsRow>(
          `SELECT span_start, value_count, missing_count, value_sum, value_min, value_max
           FROM ${level.table} WHERE meter = ? AND span_start >= ? AND span_start < ?`,
        )
        .raw(),
      sum: db
        .prepare<[number, number, number], SumRow>(
          `SELECT coalesce(sum(value_count), 0), coalesce(sum(missing_count), 0), total(value_sum), min(value_min), max(value_max)
           FROM ${level.table} WHERE meter = ? AND span_start >= ? AND span_start < ?`,
        )
        .raw(),
    }));
    this.edges = db
      .prepare<[string, string], EdgeRow>(
        `SELECT m.key, s.value ->> 0, count(r.value), count(*) - count(r.value), total(r.value), min(r.value), max(r.value)
         FROM json_each(?) AS m CROSS JOIN json_each(?) AS s CROSS JOIN readings AS r
           ON r.meter = m.value AND r.time >= s.value ->> 1 AND r.time < s.value ->> 2
         GROUP BY m.key, s.key`,
      )
      .raw();
  }

  /** Each meter's tally over each span, in the order given; meters are ids. */
  tally(meters: number[], spans: TimeSpan[]): Tally[][] {
    const tallies = meters.map(() => spans.map(emptyTally));
    const { days, hours, edges } = usageSpans(spans);
    const parts = [days, hours];
    meters.forEach((meter, meterIndex) => {
      this.levels.forEach((statements, levelIndex) => addTotals(tallies[meterIndex], meter, parts[levelIndex], statements));
    });
    if (edges.length > 0) {
      for (const [meter, span, count, missingCount, sum, min, max] of this.edges.all(JSON.stringify(meters), JSON.stringify(edges))) {
        addTotal(tallies[meter][span], count, missingCount, sum, min, max);
      }
    }
    return tallies;
  }
}

/** Adds one meter's stored totals of one level to the tallies of the spans the parts belong to. */
function addTotals(tallies: Tally[], meter: number, parts: IndexedSpan[], { level, range, sum }: LevelStatements): void {
  if (parts.length === 0) return;
  const width = parts.reduce((total, [, start, end]) => total + (end - start), 0) / level.width / parts.length;
  if (width >= widthAddedUpInSqlite) {
    for (const [span, start, end] of parts) {
      const [count, missingCount, total, min, max] = sum.get(meter, start, end)!;
      addTotal(tallies[span], count, missingCount, total, min, max);
    }
    return;
  }
  // The parts are sorted and do not overlap; totals between two parts belong to neither.
  let at = 0;
  for (const [start, count, missingCount, total, min, max] of range.all(meter, parts[0][1], parts[parts.length - 1][2])) {
    while (at < parts.length && parts[at][2] <= start) at++;
    if (at === parts.length) break;
    if (start < parts[at][1]) continue;
    addTotal(tallies[parts[at][0]], count, missingCount, total, min, max);
  }
}

function addTotal(tally: Tally, count: number, missingCount: number, sum: number, min: number | null, max: number | null): void {
  tally.count += count;
  tally.missingCount += missingCount;
  tally.sum += sum;
  if (min !== null && (tally.min === undefined || min < tally.min)) tally.min = min;
  if (max !== null && (tally.max === undefined || max > tally.max)) tally.max = max;
}

import type Database from "better-sqlite3";
import { addTotal, emptyTally, type Tally, type TimeSpan } from "../../readings/tally.js";
import { addedUpByDatabase, addTotalsInOrder, coveringRange, type StoredTotal } from "../stored-totals.js";
import { usageSpans, type IndexedSpan } from "../usage-spans.js";
import { usageLevels, type UsageLevel } from "../usage-totals.js";

type SumRow = [count: number, missingCount: number, sum: number, min: number | null, max: number | null];
type EdgeRow = [meterIndex: number, spanIndex: number, count: number, missingCount: number, sum: number, min: number | null, max: number | null];

interface LevelStatements {
  level: UsageLevel;
  range: Database.Statement<[number, number, number], StoredTotal>;
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
        .prepare<[number, number, number], StoredTotal>(
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
  if (!addedUpByDatabase(parts, level.width)) return addTotalsInOrder(tallies, parts, range.all(meter, ...coveringRange(parts)));
  for (const [span, start, end] of parts) {
    const [count, missingCount, total, min, max] = sum.get(meter, start, end)!;
    addTotal(tallies[span], count, missingCount, total, min, max);
  }
}

import pg from "pg";
import type { Schema2Row } from "./schema-2-store.js";

/**
 * Writes a PostgreSQL database as the last version with a row a reading (schema 2) left it:
 * its tables as that version created them, its meters with their figures, and the readings
 * added up per UTC hour and day, as every write of that version kept them. With
 * `foreignKeys`, as the first version with meters had them: readings and totals referring to
 * meters.
 */
export async function writeSchema2Database(url: string, rows: Schema2Row[], options: { foreignKeys?: boolean } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("BEGIN");
    await client.query(`
      CREATE TABLE meters (
        id serial PRIMARY KEY,
        name text NOT NULL UNIQUE,
        count bigint NOT NULL DEFAULT 0,
        first_time timestamptz,
        last_time timestamptz,
        unit text NOT NULL DEFAULT '',
        time_zone text NOT NULL DEFAULT 'UTC'
      );
      CREATE TABLE readings (
        meter integer NOT NULL,
        time timestamptz NOT NULL,
        value double precision,
        PRIMARY KEY (meter, time)
      );
      ${["usage_hours", "usage_days"]
        .map(
          (table) => `
      CREATE TABLE ${table} (
        meter integer NOT NULL,
        span_start timestamptz NOT NULL,
        value_count bigint NOT NULL,
        missing_count bigint NOT NULL,
        value_sum double precision NOT NULL,
        value_min double precision,
        value_max double precision,
        PRIMARY KEY (meter, span_start)
      );`,
        )
        .join("")}`);
    if (options.foreignKeys) {
      for (const table of ["readings", "usage_hours", "usage_days"]) {
        await client.query(`ALTER TABLE ${table} ADD FOREIGN KEY (meter) REFERENCES meters (id)`);
      }
    }
    const names = [...new Set(rows.map(([meter]) => meter))];
    await client.query({
      text: "INSERT INTO meters (name, unit, time_zone) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])",
      values: [names, names.map((name) => (name === "flat-2" ? "kWh" : "")), names.map((name) => (name === "flat-2" ? "Europe/London" : "UTC"))],
    });
    // Times as exact text: to_timestamp() takes double precision seconds.
    await client.query({
      text: `INSERT INTO readings (meter, time, value)
             SELECT m.id, timestamptz 'epoch' + r.time * interval '1 millisecond', r.value
             FROM unnest($1::text[], $2::bigint[], $3::float8[]) AS r (name, time, value) JOIN meters m ON m.name = r.name`,
      values: [rows.map(([meter]) => meter), rows.map(([, time]) => time), rows.map(([, , value]) => value)],
    });
    await client.query(`
      UPDATE meters SET count = r.count, first_time = r.first, last_time = r.last
        FROM (SELECT meter, count(*) AS count, min(time) AS first, max(time) AS last FROM readings GROUP BY meter) AS r WHERE r.meter = id;
      ${[
        ["usage_hours", "hour"],
        ["usage_days", "day"],
      ]
        .map(
          ([table, unit]) => `
      INSERT INTO ${table}
        SELECT meter, date_trunc('${unit}', time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS span, count(value), count(*) - count(value),
               coalesce(sum(value), 0), min(value), max(value)
        FROM readings GROUP BY meter, span;`,
        )
        .join("")}`);
    await client.query("COMMIT");
  } finally {
    await client.end();
  }
}

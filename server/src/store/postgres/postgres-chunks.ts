import type pg from "pg";
import type { ListedChunk } from "../chunks/chunk-figures.js";
import type { ChunkWrite, OwningChunk } from "../chunks/chunk-writer.js";

/** A chunk with its bytes, as a read of readings pages through them. */
export type PagedChunk = [start: string, span: string, bytes: Buffer];

type Queryable = pg.Pool | pg.PoolClient;
type ListedRow = [meterIndex: number, start: string, span: string, valueCount: number, missingCount: number, sum: number, min: number | null, max: number | null];
type OwnerRow = [start: string, span: string, count: number, bytes: Buffer, isFirst: boolean, nextStart: string | null];

// The chunks of meter $1 that may hold readings of [$2, $3): the one that starts last at or
// before $2 (it may run past it), then every one that starts inside.
const inRange = (meter: string) => `meter = ${meter} AND start < $3
  AND start >= coalesce((SELECT max(start) FROM chunks WHERE meter = ${meter} AND start <= $2), $2)`;

// The last chunk to start at or before $2, else the meter's first (then the owner of every
// earlier time), with the start of the chunk after it.
const ownerQuery = {
  name: "meterusage-chunk-owner",
  text: `SELECT o.start, o.span, o.value_count + o.missing_count, o.data, o.is_first,
                (SELECT min(n.start) FROM chunks n WHERE n.meter = $1 AND n.start > o.start)
         FROM ((SELECT *, false AS is_first FROM chunks WHERE meter = $1 AND start <= $2 ORDER BY start DESC LIMIT 1)
               UNION ALL
               (SELECT *, true AS is_first FROM chunks WHERE meter = $1 ORDER BY start LIMIT 1)) AS o
         ORDER BY o.is_first LIMIT 1`,
};
const listedQuery = {
  name: "meterusage-chunks-listed",
  text: `SELECT m.i::int - 1, c.start, c.span, c.value_count, c.missing_count, c.value_sum, c.value_min, c.value_max
         FROM unnest($1::int[]) WITH ORDINALITY AS m (id, i)
         CROSS JOIN LATERAL (
           SELECT * FROM chunks WHERE ${inRange("m.id")} ORDER BY start
         ) AS c
         ORDER BY m.i, c.start`,
};
const pageQuery = {
  name: "meterusage-chunks-page",
  text: `SELECT start, span, data FROM chunks WHERE ${inRange("$1")} ORDER BY start LIMIT $4`,
};
const bytesQuery = {
  name: "meterusage-chunks-bytes",
  text: `SELECT c.meter, c.start, c.span, c.value_count, c.missing_count, c.value_sum, c.data FROM unnest($1::int[], $2::bigint[]) AS k (meter, start)
         JOIN chunks c ON c.meter = k.meter AND c.start = k.start`,
};
export const chunkColumns = "meter, start, span, value_count, missing_count, value_sum, value_min, value_max, data";
const insertQuery = {
  name: "meterusage-chunks-insert",
  text: `INSERT INTO chunks (${chunkColumns})
         SELECT * FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::int[], $5::int[], $6::float8[], $7::float8[], $8::float8[], $9::bytea[])`,
};
// A replaced chunk keeps its row; a late reading before a meter's first chunk moves its start.
const updateQuery = {
  name: "meterusage-chunks-update",
  text: `UPDATE chunks c SET start = u.start, span = u.span, value_count = u.value_count, missing_count = u.missing_count,
           value_sum = u.value_sum, value_min = u.value_min, value_max = u.value_max, data = u.data
         FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[], $6::int[], $7::float8[], $8::float8[], $9::float8[], $10::bytea[])
           AS u (meter, key, start, span, value_count, missing_count, value_sum, value_min, value_max, data)
         WHERE c.meter = u.meter AND c.start = u.key`,
};
const removeMeterQuery = { name: "meterusage-chunks-remove-meter", text: "DELETE FROM chunks WHERE meter = $1" };

/**
 * A meter's chunk write as the pending writes of a transaction: inserts and updates go to the
 * table together, updates first, since a chunk split after a late write may put a new piece at
 * the start its first piece moved from.
 */
export class PendingChunkWrites {
  readonly inserts: [meter: number, write: ChunkWrite][] = [];
  readonly updates: [meter: number, write: ChunkWrite][] = [];

  add(meter: number, writes: ChunkWrite[]): void {
    for (const write of writes) (write.key === undefined ? this.inserts : this.updates).push([meter, write]);
  }

  get size(): number {
    return this.inserts.length + this.updates.length;
  }

  async apply(client: pg.PoolClient): Promise<void> {
    const { inserts, updates } = this;
    if (updates.length > 0) {
      await client.query({
        ...updateQuery,
        values: [updates.map(([meter]) => meter), updates.map(([, write]) => write.key), ...figureColumns(updates)],
      });
    }
    if (inserts.length > 0) await client.query({ ...insertQuery, values: [inserts.map(([meter]) => meter), ...figureColumns(inserts)] });
    inserts.length = 0;
    updates.length = 0;
  }
}

function figureColumns(writes: [meter: number, write: ChunkWrite][]): unknown[] {
  const figures = writes.map(([, write]) => write.figures);
  return [
    figures.map((figure) => figure.start),
    figures.map((figure) => figure.last - figure.start),
    figures.map((figure) => figure.valueCount),
    figures.map((figure) => figure.missingCount),
    figures.map((figure) => figure.sum),
    figures.map((figure) => figure.min),
    figures.map((figure) => figure.max),
    writes.map(([, write]) => bufferOf(write.bytes)),
  ];
}

/** The chunks table, read and written inside the caller's transaction or through the pool. */
export const postgresChunks = {
  /** The chunk that owns a time: the last to start at or before it, else the meter's first; undefined when the meter has none. */
  async owner(client: Queryable, meter: number, time: number): Promise<OwningChunk | undefined> {
    const { rows } = await client.query<OwnerRow>({ ...ownerQuery, values: [meter, time], rowMode: "array" });
    if (rows.length === 0) return undefined;
    const [start, span, count, bytes, isFirst, nextStart] = rows[0];
    const key = Number(start);
    return { key, start: key, last: key + Number(span), count, bytes, isFirst, nextStart: nextStart === null ? undefined : Number(nextStart) };
  },

  /** Each meter's chunks that may hold readings of [from, end), oldest first, with their figures; the key is the start. */
  async listed(client: Queryable, meters: number[], from: number, end: number): Promise<ListedChunk[][]> {
    const { rows } = await client.query<ListedRow>({ ...listedQuery, values: [meters, from, end], rowMode: "array" });
    const listed: ListedChunk[][] = meters.map(() => []);
    for (const [index, start, span, valueCount, missingCount, sum, min, max] of rows) {
      const key = Number(start);
      listed[index].push({ key, start: key, last: key + Number(span), valueCount, missingCount, sum, min, max });
    }
    return listed;
  },

  /** Up to `limit` of the meter's chunks that may hold readings of [from, end), oldest first, with their bytes. */
  async page(client: Queryable, meter: number, from: number, end: number, limit: number): Promise<PagedChunk[]> {
    const { rows } = await client.query<PagedChunk>({ ...pageQuery, values: [meter, from, end, limit], rowMode: "array" });
    return rows;
  },

  /**
   * The bytes of listed chunks, by "meter start"; undefined when one of them is no longer as
   * listed (a write changed it since), since its bytes would not add up to its figures.
   */
  async bytes(client: Queryable, chunks: { meter: number; chunk: ListedChunk }[]): Promise<Map<string, Buffer> | undefined> {
    if (chunks.length === 0) return new Map();
    const { rows } = await client.query<[number, string, string, number, number, number, Buffer]>({
      ...bytesQuery,
      values: [chunks.map(({ meter }) => meter), chunks.map(({ chunk }) => chunk.start)],
      rowMode: "array",
    });
    const stored = new Map(rows.map((row) => [`${row[0]} ${row[1]}`, row]));
    const bytes = new Map<string, Buffer>();
    for (const { meter, chunk } of chunks) {
      const row = stored.get(`${meter} ${chunk.start}`);
      if (row === undefined) return undefined;
      const [, , span, valueCount, missingCount, sum, data] = row;
      if (Number(span) !== chunk.last - chunk.start || valueCount !== chunk.valueCount || missingCount !== chunk.missingCount || !Object.is(sum, chunk.sum)) {
        return undefined;
      }
      bytes.set(`${meter} ${chunk.start}`, data);
    }
    return bytes;
  },

  async removeMeter(client: pg.PoolClient, meter: number): Promise<void> {
    await client.query({ ...removeMeterQuery, values: [meter] });
  },
};

export function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

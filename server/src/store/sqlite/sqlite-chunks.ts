import type Database from "better-sqlite3";
import type { ListedChunk } from "../chunks/chunk-figures.js";
import type { ChunkWrite, OwningChunk } from "../chunks/chunk-writer.js";

type ListedRow = [key: number, start: number, span: number, valueCount: number, missingCount: number, sum: number, min: number | null, max: number | null];
type ListedRowWithBytes = [...ListedRow, bytes: Buffer];
type MetersListedRow = [meterIndex: number, ...ListedRowWithBytes];
/** A listed chunk with its bytes, for reads that decode most of the chunks they list. */
export type ListedChunkWithBytes = ListedChunk & { bytes: Buffer };
type OwnerRow = [key: number, start: number, span: number, count: number, bytes: Buffer];
/** A chunk with its bytes, as a read of readings pages through them. */
export type PagedChunk = [key: number, start: number, span: number, bytes: Buffer];

// The chunks that may hold readings of [from, end): the one that starts last at or before
// `from` (it may run past it), then every one that starts inside.
const inRange = `meter = @meter AND start < @end
  AND start >= coalesce((SELECT max(start) FROM chunks WHERE meter = @meter AND start <= @from), @from)`;

/** The chunks table of one SQLite store: finding, listing and writing chunks, inside the caller's transaction. */
export class SqliteChunks {
  private readonly statements;

  constructor(db: Database.Database) {
    this.statements = {
      ownerAtOrBefore: db
        .prepare<[number, number], OwnerRow>(
          "SELECT id, start, span, value_count + missing_count, data FROM chunks WHERE meter = ? AND start <= ? ORDER BY start DESC LIMIT 1",
        )
        .raw(),
      firstOwner: db
        .prepare<[number], OwnerRow>("SELECT id, start, span, value_count + missing_count, data FROM chunks WHERE meter = ? ORDER BY start LIMIT 1")
        .raw(),
      nextStart: db.prepare<[number, number], number | null>("SELECT min(start) FROM chunks WHERE meter = ? AND start > ?").pluck(),
      listed: db
        .prepare<{ meter: number; from: number; end: number }, ListedRow>(
          `SELECT id, start, span, value_count, missing_count, value_sum, value_min, value_max FROM chunks WHERE ${inRange} ORDER BY start`,
        )
        .raw(),
      listedWithBytes: db
        .prepare<{ meter: number; from: number; end: number }, ListedRowWithBytes>(
          `SELECT id, start, span, value_count, missing_count, value_sum, value_min, value_max, data FROM chunks WHERE ${inRange} ORDER BY start`,
        )
        .raw(),
      metersListedWithBytes: db
        .prepare<{ meters: string; from: number; end: number }, MetersListedRow>(
          `SELECT m.key, c.id, c.start, c.span, c.value_count, c.missing_count, c.value_sum, c.value_min, c.value_max, c.data
           FROM json_each(@meters) AS m JOIN chunks AS c ON c.meter = m.value AND c.start < @end
             AND c.start >= coalesce((SELECT max(start) FROM chunks WHERE meter = m.value AND start <= @from), @from)`,
        )
        .raw(),
      page: db
        .prepare<{ meter: number; from: number; end: number; limit: number }, PagedChunk>(
          `SELECT id, start, span, data FROM chunks WHERE ${inRange} ORDER BY start LIMIT @limit`,
        )
        .raw(),
      bytes: db.prepare<[number], Buffer>("SELECT data FROM chunks WHERE id = ?").pluck(),
      insert: db.prepare<[number, number, number, number, number, number, number | null, number | null, Buffer]>(
        `INSERT INTO chunks (meter, start, span, value_count, missing_count, value_sum, value_min, value_max, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare<[number, number, number, number, number, number | null, number | null, Buffer, number]>(
        `UPDATE chunks SET start = ?, span = ?, value_count = ?, missing_count = ?, value_sum = ?, value_min = ?, value_max = ?, data = ?
         WHERE id = ?`,
      ),
      // SQLite rewrites an index entry whose column a statement sets, to the same value or not:
      // leaving start out saves a late write or a tail append one of its three pages.
      updateInPlace: db.prepare<[number, number, number, number, number | null, number | null, Buffer, number]>(
        `UPDATE chunks SET span = ?, value_count = ?, missing_count = ?, value_sum = ?, value_min = ?, value_max = ?, data = ?
         WHERE id = ?`,
      ),
      removeMeter: db.prepare<[number]>("DELETE FROM chunks WHERE meter = ?"),
    };
  }

  /** The chunk that owns a time: the last to start at or before it, else the meter's first; undefined when the meter has none. */
  owner(meter: number, time: number): OwningChunk | undefined {
    let row = this.statements.ownerAtOrBefore.get(meter, time);
    const isFirst = row === undefined;
    if (row === undefined) row = this.statements.firstOwner.get(meter);
    if (row === undefined) return undefined;
    const [key, start, span, count, bytes] = row;
    const nextStart = this.statements.nextStart.get(meter, start) ?? undefined;
    return { key, start, last: start + span, count, bytes, isFirst, nextStart };
  }

  write(meter: number, writes: ChunkWrite[]): void {
    for (const { key, storedStart, figures, bytes } of writes) {
      const { start, last, valueCount, missingCount, sum, min, max } = figures;
      const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (key === undefined) this.statements.insert.run(meter, start, last - start, valueCount, missingCount, sum, min, max, data);
      else if (start === storedStart) this.statements.updateInPlace.run(last - start, valueCount, missingCount, sum, min, max, data, key);
      else this.statements.update.run(start, last - start, valueCount, missingCount, sum, min, max, data, key);
    }
  }

  /** The meter's chunks that may hold readings of [from, end), oldest first, with their figures. */
  listed(meter: number, from: number, end: number): ListedChunk[] {
    return this.statements.listed.all({ meter, from, end }).map(listedChunk);
  }

  /** As listed, with each chunk's bytes: one statement where fetching the bytes of most chunks one by one took longer than decoding them. */
  listedWithBytes(meter: number, from: number, end: number): ListedChunkWithBytes[] {
    return this.statements.listedWithBytes.all({ meter, from, end }).map((row) => Object.assign(listedChunk(row), { bytes: row[8] }));
  }

  /**
   * As listedWithBytes for each of many meters (ids, in any order, repeats allowed), in one
   * statement: a thousand meters' month was a thousand statements, whose own cost was as much
   * as reading their rows.
   */
  metersListedWithBytes(meters: number[], from: number, end: number): ListedChunkWithBytes[][] {
    const listed: ListedChunkWithBytes[][] = meters.map(() => []);
    for (const [index, key, start, span, valueCount, missingCount, sum, min, max, bytes] of this.statements.metersListedWithBytes.all({
      meters: JSON.stringify(meters),
      from,
      end,
    })) {
      listed[index].push({ key, start, last: start + span, valueCount, missingCount, sum, min, max, bytes });
    }
    // The plan walks each meter's chunks by the (meter, start) index, so they come in order; should another plan not, they are put in order.
    for (const chunks of listed) if (!isByStart(chunks)) chunks.sort((a, b) => a.start - b.start);
    return listed;
  }

  /** Up to `limit` of the meter's chunks that may hold readings of [from, end), oldest first, with their bytes. */
  page(meter: number, from: number, end: number, limit: number): PagedChunk[] {
    return this.statements.page.all({ meter, from, end, limit });
  }

  bytes(key: number): Buffer {
    return this.statements.bytes.get(key)!;
  }

  removeMeter(meter: number): void {
    this.statements.removeMeter.run(meter);
  }
}

function isByStart(chunks: ListedChunk[]): boolean {
  for (let i = 1; i < chunks.length; i++) if (chunks[i - 1].start >= chunks[i].start) return false;
  return true;
}

function listedChunk([key, start, span, valueCount, missingCount, sum, min, max]: ListedRow | ListedRowWithBytes): ListedChunk {
  return { key, start, last: start + span, valueCount, missingCount, sum, min, max };
}

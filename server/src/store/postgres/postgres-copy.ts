import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { ChunkWrite } from "../chunks/chunk-writer.js";
import { binaryChunkRow, binaryCopyHeader, binaryCopyTrailer } from "./binary-copy.js";
import { chunkColumns, PendingChunkWrites } from "./postgres-chunks.js";

export const copyChunksStatement = `COPY chunks (${chunkColumns}) FROM STDIN (FORMAT binary)`;
/** Rows of new chunks held before they go to the table in one COPY. */
const heldBytes = 4 << 20;

/**
 * The chunks an import makes, held in memory as binary COPY rows and sent a few megabytes at a
 * time; replacements of stored chunks wait beside them for one UPDATE.
 * A COPY's connection can run nothing else until it ends, so rows go in whole COPYs, not one
 * open stream: between them the writer may look up a stored chunk, after `applyFor` has put
 * what it holds of that meter in the table.
 */
export class CopiedChunks {
  private rows: Buffer[] = [];
  private rowsLength = 0;
  private readonly updates = new PendingChunkWrites();
  private readonly meters = new Set<number>();

  add(meter: number, writes: ChunkWrite[]): void {
    for (const write of writes) {
      this.meters.add(meter);
      if (write.key !== undefined) {
        this.updates.add(meter, [write]);
        continue;
      }
      const row = binaryChunkRow(meter, write);
      this.rows.push(row);
      this.rowsLength += row.length;
    }
  }

  get isFull(): boolean {
    return this.rowsLength >= heldBytes;
  }

  /** Writes what is held when some of it is the meter's, so that a look-up of its chunks sees it all. */
  async applyFor(client: pg.PoolClient, meter: number): Promise<void> {
    if (this.meters.has(meter)) await this.apply(client);
  }

  /** Writes what is held: replacements first, then new chunks (see PendingChunkWrites). */
  async apply(client: pg.PoolClient): Promise<void> {
    await this.updates.apply(client);
    if (this.rows.length > 0) {
      await pipeline(Readable.from([Buffer.concat([binaryCopyHeader, ...this.rows, binaryCopyTrailer])]), client.query(copyFrom(copyChunksStatement)));
    }
    this.rows = [];
    this.rowsLength = 0;
    this.meters.clear();
  }
}

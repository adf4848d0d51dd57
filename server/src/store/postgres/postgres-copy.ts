import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { ChunkWrite } from "../chunks/chunk-writer.js";
import { bufferOf, chunkColumns, PendingChunkWrites } from "./postgres-chunks.js";

const copyStatement = `COPY chunks (${chunkColumns}) FROM STDIN`;
/** Text of new chunks held before they go to the table in one COPY. */
const heldBytes = 4 << 20;

/**
 * The chunks a bulk write (an import, the upgrade) makes, held in memory as COPY rows and sent
 * a few megabytes at a time; replacements of stored chunks wait beside them for one UPDATE.
 * A COPY's connection can run nothing else until it ends, so rows go in whole COPYs, not one
 * open stream: between them the writer may look up a stored chunk, after `applyFor` has put
 * what it holds of that meter in the table.
 */
export class CopiedChunks {
  private text: string[] = [];
  private textLength = 0;
  private readonly updates = new PendingChunkWrites();
  private readonly meters = new Set<number>();

  add(meter: number, writes: ChunkWrite[]): void {
    for (const write of writes) {
      this.meters.add(meter);
      if (write.key !== undefined) {
        this.updates.add(meter, [write]);
        continue;
      }
      const row = copyRow(meter, write);
      this.text.push(row);
      this.textLength += row.length;
    }
  }

  get isFull(): boolean {
    return this.textLength >= heldBytes;
  }

  /** Writes what is held when some of it is the meter's, so that a look-up of its chunks sees it all. */
  async applyFor(client: pg.PoolClient, meter: number): Promise<void> {
    if (this.meters.has(meter)) await this.apply(client);
  }

  /** Writes what is held: replacements first, then new chunks (see PendingChunkWrites). */
  async apply(client: pg.PoolClient): Promise<void> {
    await this.updates.apply(client);
    if (this.text.length > 0) await pipeline(Readable.from([this.text.join("")]), client.query(copyFrom(copyStatement)));
    this.text = [];
    this.textLength = 0;
    this.meters.clear();
  }
}

/**
 * A chunk as a row of COPY's text format: tab between the columns, a newline after the row,
 * \N for no min or max, the bytes as bytea's hex input with its backslash escaped for COPY.
 * Numbers need no escaping: JavaScript writes a float8 (Infinity and NaN included) in a form
 * PostgreSQL reads back exactly.
 */
function copyRow(meter: number, { figures, bytes }: ChunkWrite): string {
  const { start, last, valueCount, missingCount, sum, min, max } = figures;
  return (
    `${meter}\t${start}\t${last - start}\t${valueCount}\t${missingCount}\t${sum}\t${min ?? "\\N"}\t${max ?? "\\N"}\t` +
    `\\\\x${bufferOf(bytes).toString("hex")}\n`
  );
}

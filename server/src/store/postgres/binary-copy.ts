import type { ChunkWrite } from "../chunks/chunk-writer.js";

/**
 * COPY's binary format, for the chunks the bulk writes send and the old readings the upgrade
 * reads: fixed-width numbers as they are in memory, the chunk's bytes as they are, where the
 * text format spells every number in decimal and every byte in hex, at both ends.
 * (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4)
 */

/** The signature, no flags, no header extension. */
export const binaryCopyHeader = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]);
/** A field count of -1 ends the data. */
export const binaryCopyTrailer = Buffer.from([0xff, 0xff]);

const twoTo32 = 2 ** 32;
/** Field count, then each of the nine fields' length before it: meter, start, span, the two counts, sum, min, max, bytes. */
const chunkRowFixedBytes = 2 + 9 * 4 + 4 + 8 + 8 + 4 + 4 + 8 + 8 + 8;

/** A chunk as a row of COPY chunks (meter, start, span, value_count, missing_count, value_sum, value_min, value_max, data) in binary. */
export function binaryChunkRow(meter: number, { figures, bytes }: ChunkWrite): Buffer {
  const { start, last, valueCount, missingCount, sum, min, max } = figures;
  const row = Buffer.allocUnsafe(chunkRowFixedBytes + bytes.byteLength - (min === null ? 8 : 0) - (max === null ? 8 : 0));
  let at = row.writeInt16BE(9, 0);
  at = row.writeInt32BE(meter, row.writeInt32BE(4, at));
  at = writeInt8(row, start, row.writeInt32BE(8, at));
  at = writeInt8(row, last - start, row.writeInt32BE(8, at));
  at = row.writeInt32BE(valueCount, row.writeInt32BE(4, at));
  at = row.writeInt32BE(missingCount, row.writeInt32BE(4, at));
  at = row.writeDoubleBE(sum, row.writeInt32BE(8, at));
  at = min === null ? row.writeInt32BE(-1, at) : row.writeDoubleBE(min, row.writeInt32BE(8, at));
  at = max === null ? row.writeInt32BE(-1, at) : row.writeDoubleBE(max, row.writeInt32BE(8, at));
  at = row.writeInt32BE(bytes.byteLength, at);
  row.set(bytes, at);
  return row;
}

/** A bigint of up to 2^53 in magnitude, as its high and low 32 bits. */
function writeInt8(row: Buffer, value: number, at: number): number {
  const high = Math.floor(value / twoTo32);
  return row.writeUInt32BE(value - high * twoTo32, row.writeInt32BE(high, at));
}

/** 2000-01-01T00:00:00Z, from which a binary timestamptz counts its microseconds. */
const postgresEpochMillis = 946_684_800_000;

/**
 * Reads rows of (int4, timestamptz, float8 or NULL) from the binary output of a COPY ... TO STDOUT,
 * as its stream hands over pieces of it, cut anywhere; `row` gets each.
 */
export class BinaryReadingRows {
  private pending: Buffer = Buffer.alloc(0);
  private headerRead = false;
  private ended = false;

  constructor(private readonly row: (meter: number, time: number, value: number | null) => void) {}

  push(piece: Buffer): void {
    const data = this.pending.length === 0 ? piece : Buffer.concat([this.pending, piece]);
    let at = 0;
    if (!this.headerRead) {
      if (data.length < binaryCopyHeader.length || data.length < binaryCopyHeader.length + data.readInt32BE(15)) {
        this.pending = data;
        return;
      }
      if (!data.subarray(0, 11).equals(binaryCopyHeader.subarray(0, 11))) throw new Error("COPY sent no binary header");
      // The signature, the flags, the header extension's length and the extension, which no reader needs.
      at = binaryCopyHeader.length + data.readInt32BE(15);
      this.headerRead = true;
    }
    const row = this.row;
    for (;;) {
      if (data.length - at < 2) break;
      const fields = data.readInt16BE(at);
      if (fields === -1) {
        this.ended = true;
        at += 2;
        break;
      }
      if (fields !== 3) throw new Error(`COPY sent a row of ${fields} fields, not 3`);
      // meter (4 + 4), time (4 + 8), value (4, + 8 unless NULL)
      if (data.length - at < 2 + 8 + 12 + 4) break;
      const valueLength = data.readInt32BE(at + 22);
      if (valueLength !== -1 && data.length - at < 2 + 8 + 12 + 4 + 8) break;
      const meter = data.readInt32BE(at + 6);
      // Microseconds since 2000 as a double are within 16 µs of exact in the years 1 to 9999,
      // so the time in milliseconds rounds to exactly the millisecond stored.
      const micros = data.readInt32BE(at + 14) * twoTo32 + data.readUInt32BE(at + 18);
      const time = Math.round(micros / 1000) + postgresEpochMillis;
      row(meter, time, valueLength === -1 ? null : data.readDoubleBE(at + 26));
      at += valueLength === -1 ? 26 : 34;
    }
    this.pending = data.subarray(at);
  }

  /** Throws unless the data ended where COPY ends it. */
  finish(): void {
    if (!this.ended || this.pending.length > 0) throw new Error("COPY's binary output ended in the middle of a row");
  }
}

import { CorruptChunkError } from "./corrupt-chunk-error.js";

/** Reads a chunk's sections, refusing to read past `end`: every length a chunk states is checked. */
export class ChunkReader {
  /** Made on the first float64: most chunks have none, and a small chunk decodes in about a microsecond. */
  private view: DataView | undefined;

  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
  ) {}

  /** Throws unless `count` more bytes are there to read. */
  need(count: number, what: string): void {
    if (count > this.end - this.pos) throw new CorruptChunkError(`the chunk ends inside its ${what} (byte ${this.pos} of ${this.end})`);
  }

  byte(what: string): number {
    this.need(1, what);
    return this.bytes[this.pos++];
  }

  /** A varint of at most 8 bytes (a safe integer), as ChunkWriter.varint writes it. */
  varint(what: string): number {
    const bytes = this.bytes;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (this.pos >= this.end) throw new CorruptChunkError(`the chunk ends inside its ${what} (byte ${this.pos} of ${this.end})`);
      const byte = bytes[this.pos++];
      value += (byte & 127) * scale;
      if (byte < 128) {
        if (value > Number.MAX_SAFE_INTEGER) break;
        return value;
      }
      scale *= 128;
    }
    throw new CorruptChunkError(`the chunk's ${what} is not a number it could hold (byte ${this.pos})`);
  }

  float64(what: string): number {
    this.need(8, what);
    this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }
}

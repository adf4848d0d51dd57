/** Bytes being written into a buffer that grows as needed; the codec reuses one for every chunk. */
export class ChunkWriter {
  bytes = new Uint8Array(4096);
  private view = new DataView(this.bytes.buffer);
  pos = 0;

  /** Makes room for `more` bytes after `pos`. */
  reserve(more: number): void {
    if (this.pos + more <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + more));
    grown.set(this.bytes.subarray(0, this.pos));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.pos++] = value;
  }

  /** Unsigned LEB128 of a safe integer >= 0: at most 8 bytes. */
  varint(value: number): void {
    this.reserve(8);
    const bytes = this.bytes;
    let pos = this.pos;
    // Past 2^31 the bit operators would cut the number, so large ones go by division.
    while (value > 0x7fffffff) {
      bytes[pos++] = (value % 128) | 128;
      value = Math.floor(value / 128);
    }
    while (value > 127) {
      bytes[pos++] = (value & 127) | 128;
      value >>>= 7;
    }
    bytes[pos++] = value;
    this.pos = pos;
  }

  float64(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.view.setUint32(this.pos, value, true);
    this.pos += 4;
  }

  /** A copy of what was written, so the buffer can serve the next chunk. */
  written(): Uint8Array {
    return this.bytes.slice(0, this.pos);
  }
}

/** The bytes `varint` writes for `value`. */
export function varintSize(value: number): number {
  let size = 1;
  while (value > 127) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

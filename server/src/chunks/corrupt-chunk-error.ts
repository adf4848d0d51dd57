/**
 * Bytes that are not a whole, undamaged chunk: cut short, flipped on disk, or not a chunk at
 * all. The message says what is wrong with the bytes; the store, which knows whose chunk it
 * read, adds the meter and the chunk.
 */
export class CorruptChunkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CorruptChunkError";
  }
}

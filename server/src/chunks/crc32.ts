import zlib from "node:zlib";

// CRC-32 (IEEE 802.3, as zlib and PNG compute it), since a chunk read from disk must be
// checked before its lengths are trusted. zlib's own (Node 20.15 and later) is used where
// there is one: a thousand meters' month checks 6 MB of chunks, 11 ms in the tables below and
// 3-7 ms in zlib's. The service runs on any Node 20, so the tables stay for the older ones:
// slicing by four tables reads a word a step.

const tables = makeTables();

function makeTables(): Uint32Array[] {
  const first = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    first[n] = c >>> 0;
  }
  const all = [first];
  for (let t = 1; t < 4; t++) {
    const previous = all[t - 1];
    const table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) table[n] = (previous[n] >>> 8) ^ first[previous[n] & 0xff];
    all.push(table);
  }
  return all;
}

/** zlib's CRC-32, undefined on a Node 20 before 20.15: looked up, since a named import of it would fail to load there. */
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** The CRC-32 of `bytes[start, end)`. */
export const crc32: (bytes: Uint8Array, start: number, end: number) => number =
  zlibCrc32 === undefined ? crc32ByTables : (bytes, start, end) => zlibCrc32(bytes.subarray(start, end));

/** The CRC-32 of `bytes[start, end)`, by tables, as on a Node without zlib's. */
export function crc32ByTables(bytes: Uint8Array, start: number, end: number): number {
  const [t0, t1, t2, t3] = tables;
  let crc = 0xffffffff;
  let i = start;
  for (const wordsEnd = end - ((end - start) & 3); i < wordsEnd; i += 4) {
    crc ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    crc = t3[crc & 0xff] ^ t2[(crc >>> 8) & 0xff] ^ t1[(crc >>> 16) & 0xff] ^ t0[crc >>> 24];
  }
  for (; i < end; i++) crc = t0[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

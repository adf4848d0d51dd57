/**
 * `bytes` with room for `size` more bytes after its first `used`: itself when they fit, else a
 * copy of what is used in a buffer doubled until they do, so that writing an answer of any
 * length copies each byte a bounded number of times.
 */
export function grownBytes(bytes: Uint8Array<ArrayBuffer>, used: number, size: number): Uint8Array<ArrayBuffer> {
  if (used + size <= bytes.length) return bytes;
  let length = bytes.length * 2;
  while (length < used + size) length *= 2;
  const grown = new Uint8Array(length);
  grown.set(bytes.subarray(0, used));
  return grown;
}

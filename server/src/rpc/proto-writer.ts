import type { UnknownField } from "@bufbuild/protobuf";
import { WireType } from "@bufbuild/protobuf/wire";
import { grownBytes } from "../readings/grown-bytes.js";

/**
 * Protobuf's wire format written straight into one growing buffer, for the few answers large
 * enough that building a message object per row and serializing it with toBinary costs more
 * than reading the rows: protobuf-es's own BinaryWriter copies every nested message again on
 * join. Writes fields in the order and form toBinary does, so the bytes are the same.
 */
export class ProtoWriter {
  private bytes = new Uint8Array(1024);
  private view = new DataView(this.bytes.buffer);
  private at = 0;

  /** The bytes written so far, copied out. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.at);
  }

  tag(field: number, wireType: WireType): this {
    this.room(5);
    this.at = writeSmallVarint(this.bytes, this.at, (field << 3) | wireType);
    return this;
  }

  /** An int64, or a uint64 below 2^53: both are the same varint there. */
  int64(value: number): this {
    this.room(10);
    this.at = writeInt64(this.bytes, this.at, value);
    return this;
  }

  int32(value: number): this {
    this.room(5);
    this.at = writeSmallVarint(this.bytes, this.at, value);
    return this;
  }

  double(value: number): this {
    this.room(8);
    this.view.setFloat64(this.at, value, true);
    this.at += 8;
    return this;
  }

  string(value: string): this {
    // Names, units and zones are mostly ASCII below 128 characters: one byte each, a one-byte
    // length, written without encoding them into a buffer of their own first.
    const length = value.length;
    if (length < 0x80) {
      this.room(1 + length);
      const bytes = this.bytes;
      let at = this.at + 1;
      for (let i = 0; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) return this.encodedString(value);
        bytes[at++] = code;
      }
      bytes[this.at] = length;
      this.at = at;
      return this;
    }
    return this.encodedString(value);
  }

  private encodedString(value: string): this {
    const encoded = textEncoder.encode(value);
    this.room(5 + encoded.length);
    this.at = writeSmallVarint(this.bytes, this.at, encoded.length);
    this.bytes.set(encoded, this.at);
    this.at += encoded.length;
    return this;
  }

  /** A google.protobuf.Timestamp field, as timestampFromMs makes it: seconds rounded down, so that nanos is never negative. */
  timestamp(field: number, time: number): this {
    const seconds = Math.floor(time / 1000);
    const nanos = (time - seconds * 1000) * 1_000_000;
    const start = this.tag(field, WireType.LengthDelimited).fork();
    if (seconds !== 0) this.tag(1, WireType.Varint).int64(seconds);
    if (nanos !== 0) this.tag(2, WireType.Varint).int32(nanos);
    return this.join(start);
  }

  /** Starts a nested message after its tag; join(start) ends it. Returns where it starts. */
  fork(): number {
    this.room(1);
    return ++this.at;
  }

  /**
   * Writes the length of the nested message begun at `start`. One byte was kept for it, which
   * every period fits; a longer message (a meter's whole list) moves up to make room.
   */
  join(start: number): this {
    const length = this.at - start;
    if (length < 0x80) {
      this.bytes[start - 1] = length;
      return this;
    }
    const lengthSize = varintSize(length);
    this.room(lengthSize - 1);
    this.bytes.copyWithin(start - 1 + lengthSize, start, this.at);
    this.at += lengthSize - 1;
    writeSmallVarint(this.bytes, start - 1, length);
    return this;
  }

  private room(size: number): void {
    const grown = grownBytes(this.bytes, this.at, size);
    if (grown === this.bytes) return;
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

const textEncoder = new TextEncoder();

/**
 * Fields already encoded, as unknown fields of a message for connect-node to send. toBinary
 * writes each unknown field as its tag followed by its raw bytes, so the encoded fields ride as
 * one unknown field holding all of them but the first tag, which toBinary writes itself; every
 * field carried this way is numbered below 16, so that tag is one byte. JSON clients need real
 * messages instead.
 */
export function carriedAsUnknown(encoded: Uint8Array): UnknownField[] {
  return encoded.length === 0 ? [] : [{ no: encoded[0] >>> 3, wireType: WireType.LengthDelimited, data: encoded.subarray(1) }];
}

/** A number as a protobuf int64 varint: 7 bits a byte, a negative number as its 64-bit two's complement. */
export function writeInt64(bytes: Uint8Array, at: number, value: number): number {
  if (value < 0) {
    let rest = BigInt.asUintN(64, BigInt(value));
    while (rest > 0x7fn) {
      bytes[at++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    bytes[at++] = Number(rest);
    return at;
  }
  // Seconds pass 2^32 in 2106 and counts may too, so this divides rather than shifts.
  while (value > 0x7f) {
    bytes[at++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  bytes[at++] = value;
  return at;
}

/** A varint of a number below 2^32. */
export function writeSmallVarint(bytes: Uint8Array, at: number, value: number): number {
  while (value > 0x7f) {
    bytes[at++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  bytes[at++] = value;
  return at;
}

function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 0x80);
    size++;
  }
  return size;
}

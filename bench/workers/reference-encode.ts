// Reference (a), the in-process limit: the stored rows read in keyset pages with raw().all()
// and encoded as the same StreamReadingsResponse messages with protobuf-es's BinaryWriter,
// with no network and no RPC framework.
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import Database from "better-sqlite3";
import { peakRssMb } from "../process-memory.js";

const [db, meter, firstText, batchText] = process.argv.slice(2);
// As the service frames a range: the first batch's first readings in a message of their own.
const firstMessageSize = Number(firstText);
const batchSize = Number(batchText);

const started = performance.now();
const database = new Database(db, { readonly: true });
const meterId = database.prepare<[string], number>("SELECT id FROM meters WHERE name = ?").pluck().get(meter);
if (meterId === undefined) throw new Error(`${db} has no meter ${meter}`);
const page = database
  .prepare<[number, number, number, number], [number, number | null]>(
    "SELECT time, value FROM readings WHERE meter = ? AND time >= ? AND time < ? ORDER BY time LIMIT ?",
  )
  .raw();
let rows = 0;
let bytes = 0;
for (let from = Number.MIN_SAFE_INTEGER; ; ) {
  const batch = page.all(meterId, from, Number.MAX_SAFE_INTEGER, batchSize);
  const messages = rows === 0 && batch.length > firstMessageSize ? [batch.slice(0, firstMessageSize), batch.slice(firstMessageSize)] : [batch];
  for (const message of batch.length > 0 ? messages : []) {
    const writer = new BinaryWriter();
    for (const [time, value] of message) {
      const seconds = Math.floor(time / 1000);
      const nanos = (time - seconds * 1000) * 1_000_000;
      writer.tag(1, WireType.LengthDelimited).fork();
      writer.tag(1, WireType.LengthDelimited).fork();
      if (seconds !== 0) writer.tag(1, WireType.Varint).int64(seconds);
      if (nanos !== 0) writer.tag(2, WireType.Varint).int32(nanos);
      writer.join();
      if (value !== null) writer.tag(2, WireType.Bit64).double(value);
      writer.join();
    }
    // Each message goes out in a 5-byte envelope, which counts towards the bytes as on the wire.
    bytes += 5 + writer.finish().length;
  }
  rows += batch.length;
  if (batch.length < batchSize) break;
  from = batch[batch.length - 1][0] + 1;
}
database.close();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows, bytes, seconds, peakRssMb: peakRssMb("self") }));

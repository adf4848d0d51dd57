// Reference (b): the same StreamReadings served by @grpc/grpc-js the way most of its users
// would write it: the .proto loaded at run time, one message per stored row, waiting for
// 'drain' when the stream asks.
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import Database from "better-sqlite3";
import { once } from "node:events";
import { join } from "node:path";

interface WireTimestamp {
  seconds: number;
  nanos: number;
}
interface WireRequest {
  meter?: string;
  start?: WireTimestamp;
  end?: WireTimestamp;
}

const [db] = process.argv.slice(2);
const protoRoot = join(import.meta.dirname, "../../proto");
const definition = protoLoader.loadSync(join(protoRoot, "meterusage/v1/meterusage.proto"), {
  includeDirs: [protoRoot],
  longs: Number,
  defaults: false,
});
const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  meterusage: { v1: { MeterUsageService: grpc.ServiceClientConstructor } };
};

const database = new Database(db, { readonly: true });
const meterId = database.prepare<[string], number>("SELECT id FROM meters WHERE name = ?").pluck();
// A request that names no meter reads the first meter, as the service's default meter is.
const firstMeterId = database.prepare<[], number>("SELECT id FROM meters ORDER BY id LIMIT 1").pluck();
const page = database
  .prepare<[number, number, number, number], [number, number | null]>(
    "SELECT time, value FROM readings WHERE meter = ? AND time >= ? AND time < ? ORDER BY time LIMIT ?",
  )
  .raw();
const millis = (timestamp: WireTimestamp | undefined, otherwise: number) =>
  timestamp === undefined ? otherwise : timestamp.seconds * 1000 + Math.floor((timestamp.nanos ?? 0) / 1e6);

async function streamReadings(call: grpc.ServerWritableStream<WireRequest, unknown>): Promise<void> {
  const meter = call.request.meter ? meterId.get(call.request.meter) : firstMeterId.get();
  if (meter === undefined) {
    call.emit("error", { code: grpc.status.NOT_FOUND, details: `there is no meter ${JSON.stringify(call.request.meter)}` });
    return;
  }
  const end = millis(call.request.end, Number.MAX_SAFE_INTEGER);
  for (let from = millis(call.request.start, Number.MIN_SAFE_INTEGER); !call.cancelled; ) {
    const rows = page.all(meter, from, end, 1000);
    for (const [time, value] of rows) {
      const seconds = Math.floor(time / 1000);
      const reading = { time: { seconds, nanos: (time - seconds * 1000) * 1e6 }, value: value ?? undefined };
      if (!call.write({ readings: [reading] })) await once(call, "drain");
    }
    if (rows.length < 1000) break;
    from = rows[rows.length - 1][0] + 1;
  }
  call.end();
}

const server = new grpc.Server();
server.addService(loaded.meterusage.v1.MeterUsageService.service, {
  streamReadings: (call: grpc.ServerWritableStream<WireRequest, unknown>) => void streamReadings(call),
});
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  console.log(`grpc-js reference on http://127.0.0.1:${port}`);
});

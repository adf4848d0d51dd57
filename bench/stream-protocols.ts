import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { StreamReadingsRequestSchema } from "../gen/meterusage/v1/meterusage_pb.js";
import type { CurlOptions } from "./curl-download.js";

export const streamReadingsPath = "/meterusage.v1.MeterUsageService/StreamReadings";

export interface StreamProtocol {
  name: string;
  /** How curl asks for a StreamReadings stream, apart from the body. */
  curl: Omit<CurlOptions, "bodyFile" | "limitRate">;
  /** Bytes the response carries besides the messages: a trailer frame or an end-of-stream message. */
  maxExtraBytes: number;
}

/** gRPC, gRPC-Web and Connect all frame each message in the same 5-byte envelope. */
export const streamProtocols: StreamProtocol[] = [
  {
    name: "gRPC h2c",
    curl: { http2: true, headers: { "content-type": "application/grpc", te: "trailers" } },
    maxExtraBytes: 0,
  },
  { name: "gRPC-Web HTTP/1.1", curl: { headers: { "content-type": "application/grpc-web+proto" } }, maxExtraBytes: 64 },
  { name: "gRPC-Web h2c", curl: { http2: true, headers: { "content-type": "application/grpc-web+proto" } }, maxExtraBytes: 64 },
  { name: "Connect HTTP/1.1", curl: { headers: { "content-type": "application/connect+proto" } }, maxExtraBytes: 64 },
  { name: "Connect h2c", curl: { http2: true, headers: { "content-type": "application/connect+proto" } }, maxExtraBytes: 64 },
];

/** A StreamReadingsRequest for [start, end) in its envelope, as a request body. */
export function streamRequest(range: { start?: number; end?: number } = {}): Buffer {
  const request = create(StreamReadingsRequestSchema, {
    start: range.start === undefined ? undefined : timestampFromMs(range.start),
    end: range.end === undefined ? undefined : timestampFromMs(range.end),
  });
  const message = toBinary(StreamReadingsRequestSchema, request);
  const envelope = Buffer.alloc(5 + message.length);
  envelope.writeUInt32BE(message.length, 1);
  envelope.set(message, 5);
  return envelope;
}

/** Writes a request body to a file that curl can send. */
export function writeStreamRequest(folder: string, name: string, range: { start?: number; end?: number } = {}): string {
  const path = join(folder, `${name}.request`);
  writeFileSync(path, streamRequest(range));
  return path;
}

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { StreamReadingsRequestSchema, StreamReadingsResponseSchema } from "../gen/meterusage/v1/meterusage_pb.js";
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

/** What a StreamReadingsRequest asks for: without a meter, the default meter's readings. */
export interface StreamedRange {
  meter?: string;
  start?: number;
  end?: number;
}

/** A StreamReadingsRequest for [start, end) in its envelope, as a request body. */
export function streamRequest({ meter, start, end }: StreamedRange = {}): Buffer {
  const request = create(StreamReadingsRequestSchema, {
    meter,
    start: start === undefined ? undefined : timestampFromMs(start),
    end: end === undefined ? undefined : timestampFromMs(end),
  });
  return envelope(toBinary(StreamReadingsRequestSchema, request));
}

/** A message in the 5-byte envelope gRPC, gRPC-Web and Connect frame messages in. */
export function envelope(message: Uint8Array): Buffer {
  const framed = Buffer.alloc(5 + message.length);
  framed.writeUInt32BE(message.length, 1);
  framed.set(message, 5);
  return framed;
}

/** Writes a request body to a file that curl can send. */
export function writeStreamRequest(folder: string, name: string, range: StreamedRange = {}): string {
  const path = join(folder, `${name}.request`);
  writeFileSync(path, streamRequest(range));
  return path;
}

/** How many readings the messages of a gRPC response body carry. */
export function readingsInStream(body: Buffer): number {
  let readings = 0;
  for (let at = 0; at < body.length; ) {
    const length = body.readUInt32BE(at + 1);
    readings += fromBinary(StreamReadingsResponseSchema, body.subarray(at + 5, at + 5 + length)).readings.length;
    at += 5 + length;
  }
  return readings;
}

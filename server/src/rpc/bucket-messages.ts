import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { BucketSchema, StreamReadingsResponseSchema, type StreamReadingsResponse } from "../../../gen/meterusage/v1/meterusage_pb.js";
import { maxBucketsPerRequest, type Bucket } from "../readings/bucket.js";

/** Buckets a StreamReadings message carries: about 60 KB. */
const bucketsPerMessage = 1000;

/** The max_points a request may ask for, or InvalidArgument saying why not. */
export function checkMaxPoints(maxPoints: number, follow: boolean): void {
  if (maxPoints > maxBucketsPerRequest) {
    throw new ConnectError(`max_points may be at most ${maxBucketsPerRequest}, not ${maxPoints}`, Code.InvalidArgument);
  }
  if (maxPoints > 0 && follow) {
    throw new ConnectError("max_points cannot be combined with follow: new readings arrive one by one", Code.InvalidArgument);
  }
}

export function* bucketMessages(buckets: Bucket[]): Generator<StreamReadingsResponse> {
  for (let i = 0; i < buckets.length; i += bucketsPerMessage) {
    yield create(StreamReadingsResponseSchema, { buckets: buckets.slice(i, i + bucketsPerMessage).map(toProtoBucket) });
  }
}

function toProtoBucket(bucket: Bucket) {
  return create(BucketSchema, {
    ...bucket,
    start: timestampFromMs(bucket.start),
    end: timestampFromMs(bucket.end),
  });
}

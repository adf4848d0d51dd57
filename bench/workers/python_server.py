"""Reference (c): the same StreamReadings served by Python's grpcio, one message per stored row.

Run with Debian's /usr/bin/python3 (grpcio 1.51, protobuf 4.21). The message classes come from
protoc, generated into the folder given as the second argument; Debian's grpc_tools is too old
for proto3 `optional`, so the service is a generic handler rather than generated stubs.
"""
import sqlite3
import sys
from concurrent import futures

import grpc

db_path, generated = sys.argv[1], sys.argv[2]
sys.path.insert(0, generated)
from meterusage.v1 import meterusage_pb2 as pb  # noqa: E402

PAGE = "SELECT time, value FROM readings WHERE meter = ? AND time >= ? AND time < ? ORDER BY time LIMIT 1000"
# A request that names no meter reads the first meter, as the service's default meter is.
METER = "SELECT id FROM meters WHERE name = ? UNION ALL SELECT id FROM meters WHERE ? = '' ORDER BY id LIMIT 1"
MIN, MAX = -(2**53) + 1, 2**53 - 1


def millis(timestamp, present, otherwise):
    return timestamp.seconds * 1000 + timestamp.nanos // 1_000_000 if present else otherwise


def stream_readings(request, context):
    database = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        meter = database.execute(METER, (request.meter, request.meter)).fetchone()
        if meter is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"there is no meter {request.meter!r}")
        start = millis(request.start, request.HasField("start"), MIN)
        end = millis(request.end, request.HasField("end"), MAX)
        while context.is_active():
            rows = database.execute(PAGE, (meter[0], start, end)).fetchall()
            for time, value in rows:
                seconds = time // 1000
                reading = pb.Reading(value=value) if value is not None else pb.Reading()
                reading.time.seconds = seconds
                reading.time.nanos = (time - seconds * 1000) * 1_000_000
                yield pb.StreamReadingsResponse(readings=[reading])
            if len(rows) < 1000:
                break
            start = rows[-1][0] + 1
    finally:
        database.close()


handler = grpc.method_handlers_generic_handler(
    "meterusage.v1.MeterUsageService",
    {
        "StreamReadings": grpc.unary_stream_rpc_method_handler(
            stream_readings,
            request_deserializer=pb.StreamReadingsRequest.FromString,
            response_serializer=pb.StreamReadingsResponse.SerializeToString,
        )
    },
)
server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
server.add_generic_rpc_handlers((handler,))
port = server.add_insecure_port("127.0.0.1:0")
server.start()
print(f"grpcio reference on http://127.0.0.1:{port}", flush=True)
server.wait_for_termination()

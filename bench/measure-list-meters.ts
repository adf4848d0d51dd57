import { fromBinary, toJsonString, create } from "@bufbuild/protobuf";
import { ListMetersRequestSchema, ListMetersResponseSchema } from "../gen/meterusage/v1/meterusage_pb.js";
import type { ChildServer } from "./child-server.js";
import { timeOnEveryProtocol, protocols, type Protocol } from "./protocol-latency.js";
import { latencyResult, type Result } from "./results.js";

export function listMetersResultName(label: string, protocol: Protocol): string {
  return `${label}: ListMeters, whole answer (${protocol})`;
}

/** ListMeters on binary gRPC and Connect JSON, and GET /api/meters, in turns; each answer must list every meter. */
export async function measureListMeters(server: ChildServer, meters: number, size: number, requests: number, label = "fleet"): Promise<Result[]> {
  const request = create(ListMetersRequestSchema, {});
  const answers = await timeOnEveryProtocol(
    server.port,
    { method: "/meterusage.v1.MeterUsageService/ListMeters", binary: () => new Uint8Array(), json: () => toJsonString(ListMetersRequestSchema, request), route: () => "/api/meters" },
    requests,
  );
  const listed = [
    fromBinary(ListMetersResponseSchema, answers.first.grpc).meters.length,
    ...[answers.first.connect, answers.first.route].map((answer) => (answer as { meters: unknown[] }).meters.length),
  ];
  if (listed.some((count) => count !== meters)) throw new Error(`ListMeters listed ${listed.join(", ")} meters (gRPC, Connect, /api/meters), not ${meters}`);
  return protocols.map((protocol) => latencyResult(size, listMetersResultName(label, protocol), answers.milliseconds[protocol], requests * meters, `${meters} meters`));
}

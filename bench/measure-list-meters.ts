import { fromBinary, toJsonString, create } from "@bufbuild/protobuf";
import { ListMetersRequestSchema, ListMetersResponseSchema } from "../gen/meterusage/v1/meterusage_pb.js";
import type { ChildServer } from "./child-server.js";
import { protocolResult, protocols, timeOnEveryProtocol, type Protocol } from "./protocol-latency.js";
import type { Result } from "./results.js";

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
  const listed = protocols.map((protocol) => {
    const answer = answers.first[protocol];
    if (answer === undefined) return meters;
    return protocol === "binary gRPC h2c" ? fromBinary(ListMetersResponseSchema, answer as Uint8Array).meters.length : (answer as { meters: unknown[] }).meters.length;
  });
  if (listed.some((count) => count !== meters)) throw new Error(`ListMeters listed ${listed.join(", ")} meters (${protocols.join(", ")}), not ${meters}`);
  return protocols.map((protocol) => protocolResult(answers, protocol, size, listMetersResultName(label, protocol), meters, `${meters} meters`));
}

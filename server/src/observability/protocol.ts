export type Protocol = "grpc" | "grpc-web" | "connect" | "http";

/** Which wire protocol a request speaks, from its content type, as connect-node decides it too. */
export function protocolOf(contentType: string | null | undefined, isRpcPath: boolean): Protocol {
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("application/grpc-web")) return "grpc-web";
  if (type.startsWith("application/grpc")) return "grpc";
  return isRpcPath ? "connect" : "http";
}

import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { join } from "node:path";
import { packageRoot } from "../../src/package-paths.js";

/** An independent gRPC implementation, loading the .proto at run time as most grpc-js users do. */
export function loadClientConstructor(): grpc.ServiceClientConstructor {
  const definition = protoLoader.loadSync(join(packageRoot, "proto/meterusage/v1/meterusage.proto"), {
    includeDirs: [join(packageRoot, "proto")],
    longs: String,
    defaults: false,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    meterusage: { v1: { MeterUsageService: grpc.ServiceClientConstructor } };
  };
  return loaded.meterusage.v1.MeterUsageService;
}

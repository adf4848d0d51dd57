import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  Health,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../../../gen/grpc/health/v1/health_pb.js";
import type { HealthStatus } from "./health-status.js";

/**
 * grpc.health.v1.Health: "" asks about the server as a whole; each served service can be
 * asked by its full name; any other name is unknown.
 */
export function healthService(status: HealthStatus, serviceNames: string[]): ServiceImpl<typeof Health> {
  const known = new Set(["", ...serviceNames]);
  const response = (state = status.state) =>
    create(HealthCheckResponseSchema, {
      status: state === "SERVING" ? ServingStatus.SERVING : ServingStatus.NOT_SERVING,
    });
  return {
    async check(request) {
      if (!known.has(request.service)) throw new ConnectError(`unknown service ${request.service}`, Code.NotFound);
      return response(await status.confirmed());
    },

    async *watch(request, context) {
      if (!known.has(request.service)) {
        yield create(HealthCheckResponseSchema, { status: ServingStatus.SERVICE_UNKNOWN });
        return;
      }
      await status.confirmed();
      let changed: () => void = () => {};
      const unwatch = status.watch(() => changed());
      const left = () => changed();
      context.signal.addEventListener("abort", left);
      try {
        let sent: string | undefined;
        while (!context.signal.aborted) {
          if (status.state !== sent) {
            sent = status.state;
            yield response();
            continue;
          }
          await new Promise<void>((resolve) => (changed = resolve));
        }
      } finally {
        unwatch();
        context.signal.removeEventListener("abort", left);
      }
    },
  };
}

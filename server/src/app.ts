import { connectNodeAdapter } from "@connectrpc/connect-node";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { httpRoutes } from "./http/http-routes.js";
import { listenOnOnePort, type OnePortListener } from "./listener/one-port-listener.js";
import { defaultFollowPolicy, type FollowPolicy } from "./rpc/followed-batches.js";
import { hideInternalErrors } from "./rpc/hide-internal-errors.js";
import { meterUsageService } from "./rpc/meter-usage-service.js";
import type { ReadingStore } from "./store/reading-store.js";

export interface AppOptions {
  store: ReadingStore;
  /** The built page's folder. */
  staticRoot: string;
  port: number;
  host?: string;
  /** The bearer token ingest needs; without one, ingest is off. */
  ingestToken?: string;
  follow?: FollowPolicy;
  log?: (error: unknown) => void;
}

/** An RPC message may be at most this large: 100,000 readings need about 2 MB. */
const readMaxBytes = 4 * 1024 * 1024;

/** Serves the store on one port: gRPC, gRPC-Web and Connect, the JSON route and the page. */
export async function startApp(options: AppOptions): Promise<OnePortListener> {
  const { store, ingestToken } = options;
  const log = options.log ?? ((error: unknown) => console.error(error));
  const handler = connectNodeAdapter({
    routes: (router) =>
      router.service(MeterUsageService, meterUsageService(store, { ingestToken, follow: options.follow ?? defaultFollowPolicy })),
    interceptors: [hideInternalErrors(log)],
    readMaxBytes,
    fallback: httpRoutes({ store, staticRoot: options.staticRoot, ingestToken, log }),
  });
  return listenOnOnePort(handler, options.port, options.host);
}

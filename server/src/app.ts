import { connectNodeAdapter } from "@connectrpc/connect-node";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { httpRoutes } from "./http/http-routes.js";
import { listenOnOnePort, type OnePortListener } from "./listener/one-port-listener.js";
import { hideInternalErrors } from "./rpc/hide-internal-errors.js";
import { meterUsageService } from "./rpc/meter-usage-service.js";
import type { ReadingStore } from "./store/reading-store.js";

export interface AppOptions {
  store: ReadingStore;
  /** The built page's folder. */
  staticRoot: string;
  port: number;
  host?: string;
  log?: (error: unknown) => void;
}

/** Serves the store on one port: gRPC, gRPC-Web and Connect, the JSON route and the page. */
export async function startApp(options: AppOptions): Promise<OnePortListener> {
  const log = options.log ?? ((error: unknown) => console.error(error));
  const handler = connectNodeAdapter({
    routes: (router) => router.service(MeterUsageService, meterUsageService(options.store)),
    interceptors: [hideInternalErrors(log)],
    fallback: httpRoutes(options.store, options.staticRoot, log),
  });
  return listenOnOnePort(handler, options.port, options.host);
}

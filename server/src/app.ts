import { connectNodeAdapter } from "@connectrpc/connect-node";
import { file_grpc_health_v1_health, Health } from "../../gen/grpc/health/v1/health_pb.js";
import { file_meterusage_v1_meterusage, MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import type { AccessPolicy } from "./access/access-policy.js";
import { IngestTokenPolicy } from "./access/ingest-token-policy.js";
import { MeterChoice } from "./access/meter-choice.js";
import { withCors } from "./http/cors.js";
import { httpRoutes } from "./http/http-routes.js";
import type { ListenerLimits } from "./listener/listener-limits.js";
import { listenOnOnePort } from "./listener/one-port-listener.js";
import { readTlsCredentials, type TlsCredentials } from "./listener/tls-credentials.js";
import { defaultFollowPolicy, type FollowPolicy } from "./rpc/followed-batches.js";
import { HealthStatus } from "./rpc/health-status.js";
import { healthService } from "./rpc/health-service.js";
import { startMqttIngest } from "./mqtt/mqtt-ingest.js";
import type { MqttSettings } from "./mqtt/mqtt-settings.js";
import { watchingAnswers } from "./observability/answered.js";
import { createLogger, type Logger } from "./observability/logger.js";
import { ServiceMetrics } from "./observability/service-metrics.js";
import { authenticateRpc, rpcContextValues } from "./rpc/authenticate-rpc.js";
import { hideInternalErrors } from "./rpc/hide-internal-errors.js";
import { observeRpc, watchingAnswerOf } from "./rpc/observe-rpc.js";
import { meterUsageService } from "./rpc/meter-usage-service.js";
import { sendingPreWrittenJson } from "./rpc/pre-written-json.js";
import { addReflectionServices, reflectionFiles } from "./rpc/reflection-services.js";
import { availabilityChecks } from "./store/availability/availability-checks.js";
import { StoreAvailability, type AvailabilityChecks } from "./store/availability/store-availability.js";
import { WatchedStore } from "./store/availability/watched-store.js";
import type { ReadingStore } from "./store/reading-store.js";

export interface AppOptions {
  store: ReadingStore;
  /** How the service learns whether its store answers, and is back; by default a cheap read. */
  storeChecks?: AvailabilityChecks;
  /** The built page's folder. */
  staticRoot: string;
  port: number;
  host?: string;
  /** The meter a request that names none means; without one, the first meter the store received. */
  defaultMeter?: string;
  /** Who may read and ingest what; without one, reads are open and ingest is off. */
  access?: AccessPolicy;
  /** Origins whose pages may call the service from a browser; none means same-origin only. */
  corsOrigins?: string[];
  follow?: FollowPolicy;
  limits?: ListenerLimits;
  /** A certificate and its key: the port then speaks TLS only. */
  tls?: TlsCredentials;
  logger?: Logger;
  /** A broker whose messages the map turns into readings. */
  mqtt?: MqttSettings;
}

export interface RunningApp {
  port: number;
  health: HealthStatus;
  /** Whether the store answers: the first call that finds it unavailable says so, a probe that finds it back says so again. */
  storeAvailability: StoreAvailability;
  metrics: ServiceMetrics;
  /**
   * Reports NOT_SERVING, stops accepting connections, ends follow streams, lets other
   * requests finish for up to `graceMs`, then closes what is left; ends the MQTT subscription
   * once what it received is stored and acknowledged. The store stays open.
   */
  shutdown(graceMs?: number): Promise<void>;
  /**
   * Reads again what may change on disk while serving: the TLS certificate and key. New
   * connections get the new pair; a pair that cannot be used is logged and the old one kept.
   */
  reload(): Promise<void>;
}

/** An RPC message may be at most this large: 100,000 readings need about 2 MB. */
const readMaxBytes = 4 * 1024 * 1024;

/** Serves the store on one port: gRPC, gRPC-Web and Connect, the JSON route and the page. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const access = options.access ?? new IngestTokenPolicy(undefined);
  const logger = options.logger ?? createLogger();
  const storeAvailability = new StoreAvailability(options.storeChecks ?? availabilityChecks(options.store));
  storeAvailability.watch((change) => {
    if (change.available) logger.info(`the store answers again after ${Math.round(change.unavailableForMs)} ms: SERVING`);
    else logger.warn({ err: change.cause }, "the store is unavailable: answering 503 / Unavailable and NOT_SERVING until it is back");
  });
  // Every part of the service sees the store through this, so no failure of it goes unnoticed.
  const store = new WatchedStore(options.store, storeAvailability);
  const metrics = new ServiceMetrics(store, storeAvailability);
  const health = new HealthStatus("SERVING", storeAvailability);
  const shuttingDown = new AbortController();
  const meters = new MeterChoice(store, options.defaultMeter);
  const servedFiles = [file_meterusage_v1_meterusage, file_grpc_health_v1_health, ...reflectionFiles];
  const handler = connectNodeAdapter({
    routes: (router) => {
      router.service(
        MeterUsageService,
        meterUsageService(store, {
          meters,
          logger,
          follow: options.follow ?? defaultFollowPolicy,
          shutdownSignal: shuttingDown.signal,
        }),
      );
      router.service(Health, healthService(health, [MeterUsageService.typeName]));
      addReflectionServices(router, servedFiles);
    },
    contextValues: (request) => watchingAnswerOf(rpcContextValues(request), request),
    interceptors: [
      observeRpc(logger, metrics),
      hideInternalErrors((error) => logger.error({ err: error }, "RPC failed")),
      // Health and reflection stay open: reflection shows only the schema.
      authenticateRpc(access, [MeterUsageService.typeName]),
    ],
    readMaxBytes,
    // A misspelt field such as "strat" would otherwise be dropped and the whole range served.
    jsonOptions: sendingPreWrittenJson({ ignoreUnknownFields: false }),
    fallback: httpRoutes({ store, meters, staticRoot: options.staticRoot, access, health, metrics, logger }),
  });
  const listener = await listenOnOnePort(withCors(options.corsOrigins ?? [], watchingAnswers(handler)), {
    port: options.port,
    host: options.host,
    limits: options.limits,
    tls: options.tls,
  });
  const mqttIngest = options.mqtt && startMqttIngest({ ...options.mqtt, store, registry: metrics.registry, logger });
  let tls = options.tls;
  return {
    port: listener.port,
    health,
    storeAvailability,
    metrics,
    async shutdown(graceMs = 0) {
      health.set("NOT_SERVING");
      storeAvailability.stop();
      shuttingDown.abort();
      await Promise.all([listener.close(graceMs), mqttIngest?.stop()]);
    },
    async reload() {
      if (tls === undefined) return;
      try {
        const fresh = await readTlsCredentials(tls);
        listener.useTlsCredentials(fresh);
        tls = fresh;
        logger.info(`new TLS connections get the certificate ${tls.certFile} (${tls.summary})`);
      } catch (error) {
        // Whatever went wrong, the pair in use still serves; a reload must never stop the service.
        logger.warn(`kept the TLS certificate in use (${tls.summary}): ${(error as Error).message}`);
      }
    },
  };
}

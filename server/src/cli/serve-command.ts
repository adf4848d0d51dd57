import type { AccessPolicy } from "../access/access-policy.js";
import { IngestTokenPolicy } from "../access/ingest-token-policy.js";
import { reloadTokens } from "../access/reload-tokens.js";
import { readTokensFile } from "../access/tokens-file.js";
import { TokensPolicy } from "../access/tokens-policy.js";
import { startApp } from "../app.js";
import { importCsvFile } from "../ingest/import-csv-file.js";
import { readTlsCredentials, type TlsFiles } from "../listener/tls-credentials.js";
import { createLogger } from "../observability/logger.js";
import { builtPage, bundledCsv } from "../package-paths.js";
import { availabilityChecks } from "../store/availability/availability-checks.js";
import { openStore } from "../store/open-store.js";
import { shownLocation } from "../store/store-location.js";
import { timeZoneFlag } from "./meter-settings-flags.js";
import { databaseLocation, meterFlag } from "./options.js";
import { serveSettings } from "./serve-usage.js";
import { readSettings, wholeNumber } from "./settings.js";
import { UsageError } from "./usage-error.js";

export async function serveCommand(args: string[]): Promise<void> {
  const { values } = readSettings(args, serveSettings);
  const port = wholeNumber(values.port, "the port", 8080, 65535);
  const graceMs = wholeNumber(values["shutdown-grace"], "the shutdown grace", 10_000);
  const corsOrigins = typeof values["cors-origins"] === "string" ? parseOrigins(values["cors-origins"]) : [];
  const ingestToken = typeof values["ingest-token"] === "string" ? values["ingest-token"] : undefined;
  const tokensFile = typeof values.tokens === "string" ? values.tokens : undefined;
  if (tokensFile !== undefined && ingestToken !== undefined) {
    throw new UsageError("give --tokens or --ingest-token, not both: a token of the tokens file may ingest (\"ingest\": [\"*\"])");
  }
  const tokensPolicy = tokensFile === undefined ? undefined : new TokensPolicy(await readTokensFile(tokensFile));
  const access: AccessPolicy = tokensPolicy ?? new IngestTokenPolicy(ingestToken);
  const host = typeof values.host === "string" ? values.host : undefined;
  const defaultMeter = meterFlag(values["default-meter"], "--default-meter");
  const db = databaseLocation(values.db);
  const newMeterTimeZone = timeZoneFlag(values["time-zone"]);
  const tlsFiles = tlsFilesOf(values["tls-cert"], values["tls-key"]);

  const logger = createLogger({ level: logLevel(values["log-level"]) });
  // Before the store opens, so that a bad certificate creates no database.
  const tls = tlsFiles && (await readTlsCredentials(tlsFiles));
  const store = await openStore(db, { newMeterTimeZone });
  const seeded = await importCsvFile(store, bundledCsv, { onlyIntoEmpty: true });
  if (!seeded.skipped) logger.info(`the store was empty; imported ${seeded.stored} readings from the bundled ${bundledCsv}`);
  const storeChecks = availabilityChecks(store, db);
  const app = await startApp({ store, storeChecks, staticRoot: builtPage, port, host, access, corsOrigins, defaultMeter, tls, logger });
  const meters = await store.meters();
  if (defaultMeter !== undefined && !meters.some((meter) => meter.name === defaultMeter)) {
    logger.warn(`the default meter ${defaultMeter} has no readings yet: requests that name no meter find nothing until it does`);
  }
  const scheme = tls ? "https" : "http";
  logger.info(`serving ${await store.count()} readings of ${meters.length} meter${meters.length === 1 ? "" : "s"} from ${shownLocation(db)} on ${scheme}://${host ?? "localhost"}:${app.port}`);
  logger.info(`gRPC (${tls ? "h2" : "h2c"}), gRPC-Web, Connect, GET /api/readings and the page, all on this port`);
  if (tls) {
    logger.info(`TLS is on, 1.2 or newer, h2 or http/1.1 by ALPN; cleartext is refused; certificate ${tls.certFile} (${tls.summary})`);
  }
  if (tokensPolicy !== undefined && tokensFile !== undefined) {
    logger.info(`every request but /healthz, health, reflection and the page needs one of the ${tokensPolicy.size} tokens of ${tokensFile}`);
  } else {
    logger.info(ingestToken ? "ingest is on (bearer token required)" : "ingest is off (no --ingest-token)");
  }

  const stop = async (signal: string) => {
    logger.info(`${signal}: finishing requests under way (up to ${graceMs} ms), then stopping`);
    await app.shutdown(graceMs);
    await store.close();
    logger.info("stopped");
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  // Only with something to read again: otherwise SIGHUP keeps its default and ends a service
  // whose terminal went away.
  if (tls || tokensPolicy) {
    process.on("SIGHUP", () => {
      if (tls) {
        logger.info("SIGHUP: reading the TLS certificate and key again");
        void app.reload();
      }
      if (tokensPolicy !== undefined && tokensFile !== undefined) void reloadTokens(tokensFile, tokensPolicy, logger);
    });
  }
}

function tlsFilesOf(certFile: string | boolean | undefined, keyFile: string | boolean | undefined): TlsFiles | undefined {
  if (typeof certFile === "string" && typeof keyFile === "string") return { certFile, keyFile };
  if (typeof certFile === "string") throw new UsageError("--tls-key is missing: --tls-cert needs its private key (--tls-key FILE or METERUSAGE_TLS_KEY)");
  if (typeof keyFile === "string") throw new UsageError("--tls-cert is missing: --tls-key needs its certificate (--tls-cert FILE or METERUSAGE_TLS_CERT)");
  return undefined;
}

function logLevel(value: string | boolean | undefined): string {
  const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
  if (typeof value !== "string") return "info";
  if (!levels.includes(value)) throw new UsageError(`the log level ${JSON.stringify(value)} is not one of ${levels.join(", ")}`);
  return value;
}

function parseOrigins(list: string): string[] {
  const origins = list.split(",").map((origin) => origin.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || parsed.origin !== origin) {
      throw new UsageError(`the CORS origin ${JSON.stringify(origin)} is not an origin such as https://example.com`);
    }
  }
  return origins;
}

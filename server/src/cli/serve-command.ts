import type { AccessPolicy } from "../access/access-policy.js";
import { IngestTokenPolicy } from "../access/ingest-token-policy.js";
import { reloadTokens } from "../access/reload-tokens.js";
import { readTokensFile } from "../access/tokens-file.js";
import { TokensPolicy } from "../access/tokens-policy.js";
import { startApp } from "../app.js";
import { importCsvFile } from "../ingest/import-csv-file.js";
import { createLogger } from "../observability/logger.js";
import { builtPage, bundledCsv } from "../package-paths.js";
import { openStore } from "../store/open-store.js";
import { shownLocation } from "../store/store-location.js";
import { databaseLocation, dbSetting } from "./options.js";
import { describeSettings, readSettings, wholeNumber, type Setting } from "./settings.js";
import { UsageError } from "./usage-error.js";
import { isMeterName } from "../meters/meter-name.js";

const settings: Setting[] = [
  { flag: "port", env: "PORT", value: "N", defaultText: "8080", help: "port to listen on; 0 picks a free one" },
  { flag: "host", env: "METERUSAGE_HOST", value: "HOST", defaultText: "every address", help: "address to listen on" },
  dbSetting,
  {
    flag: "ingest-token",
    env: "METERUSAGE_INGEST_TOKEN",
    value: "TOKEN",
    defaultText: "ingest off",
    help: "lets clients that send Authorization: Bearer TOKEN store readings, while reads stay open",
  },
  {
    flag: "tokens",
    env: "METERUSAGE_TOKENS",
    value: "FILE",
    defaultText: "none",
    help: "JSON file of named tokens and the meters each may read and ingest; every request then needs one; SIGHUP re-reads it",
  },
  {
    flag: "default-meter",
    env: "METERUSAGE_DEFAULT_METER",
    value: "NAME",
    defaultText: "the first meter the store received",
    help: "the meter a request that names none reads and writes",
  },
  {
    flag: "cors-origins",
    env: "METERUSAGE_CORS_ORIGINS",
    value: "LIST",
    defaultText: "same origin only",
    help: "comma-separated origins whose pages may call the service",
  },
  {
    flag: "log-level",
    env: "METERUSAGE_LOG_LEVEL",
    value: "LEVEL",
    defaultText: "info",
    help: "fatal, error, warn, info, debug or trace; logs are JSON lines, readable on a terminal",
  },
  {
    flag: "shutdown-grace",
    env: "METERUSAGE_SHUTDOWN_GRACE_MS",
    value: "MS",
    defaultText: "10000",
    help: "on SIGTERM, how long requests under way may take to finish",
  },
];

export const serveUsage = `Usage: meterusage serve [options]

Serves the stored readings on one port: gRPC (HTTP/2 cleartext), gRPC-Web, Connect,
GET /api/readings as JSON, and the page at /. A store with no readings is first
filled from the bundled meterusage.csv.

${describeSettings(settings)}`;

export async function serveCommand(args: string[]): Promise<void> {
  const { values } = readSettings(args, settings);
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
  const defaultMeter = typeof values["default-meter"] === "string" ? checkDefaultMeter(values["default-meter"]) : undefined;
  const db = databaseLocation(values.db);

  const logger = createLogger({ level: logLevel(values["log-level"]) });
  const store = await openStore(db);
  const seeded = await importCsvFile(store, bundledCsv, { onlyIntoEmpty: true });
  if (!seeded.skipped) logger.info(`the store was empty; imported ${seeded.stored} readings from the bundled ${bundledCsv}`);
  const app = await startApp({ store, staticRoot: builtPage, port, host, access, corsOrigins, defaultMeter, logger });
  const meters = await store.meters();
  if (defaultMeter !== undefined && !meters.some((meter) => meter.name === defaultMeter)) {
    logger.warn(`the default meter ${defaultMeter} has no readings yet: requests that name no meter find nothing until it does`);
  }
  logger.info(`serving ${await store.count()} readings of ${meters.length} meter${meters.length === 1 ? "" : "s"} from ${shownLocation(db)} on http://${host ?? "localhost"}:${app.port}`);
  logger.info("gRPC (h2c), gRPC-Web, Connect, GET /api/readings and the page, all on this port");
  if (tokensPolicy !== undefined && tokensFile !== undefined) {
    logger.info(`every request but /healthz, health, reflection and the page needs one of the ${tokensPolicy.size} tokens of ${tokensFile}`);
    process.on("SIGHUP", () => void reloadTokens(tokensFile, tokensPolicy, logger));
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

function checkDefaultMeter(name: string): string {
  if (!isMeterName(name)) throw new UsageError(`--default-meter ${JSON.stringify(name)} is not a meter name: use 1 to 128 letters, digits or ._:-`);
  return name;
}

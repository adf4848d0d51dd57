import { dbSetting } from "./options.js";
import { describeSettings, type Setting } from "./settings.js";

export const serveSettings: Setting[] = [
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
    flag: "time-zone",
    env: "METERUSAGE_TIME_ZONE",
    value: "ZONE",
    defaultText: "UTC",
    help: "the IANA time zone of meters that ingest creates, for their calendar periods",
  },
  {
    flag: "cors-origins",
    env: "METERUSAGE_CORS_ORIGINS",
    value: "LIST",
    defaultText: "same origin only",
    help: "comma-separated origins whose pages may call the service",
  },
  {
    flag: "tls-cert",
    env: "METERUSAGE_TLS_CERT",
    value: "FILE",
    defaultText: "cleartext",
    help: "PEM certificate (and chain) to serve TLS only on the port; needs --tls-key; SIGHUP reads it again",
  },
  {
    flag: "tls-key",
    env: "METERUSAGE_TLS_KEY",
    value: "FILE",
    help: "PEM private key of --tls-cert, without a passphrase; SIGHUP reads it again",
  },
  {
    flag: "mqtt",
    env: "METERUSAGE_MQTT",
    value: "URL",
    defaultText: "none",
    help: "MQTT broker to subscribe to, mqtt:// or mqtts://, user and password in the URL; needs --mqtt-map",
  },
  { flag: "mqtt-ca", env: "METERUSAGE_MQTT_CA", value: "FILE", help: "PEM certificate of a private CA that signed the broker's certificate" },
  {
    flag: "mqtt-map",
    env: "METERUSAGE_MQTT_MAP",
    value: "FILE",
    help: "JSON file of the topics to subscribe to and how their messages become meters' readings",
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

Serves the stored readings on one port: gRPC (HTTP/2), gRPC-Web, Connect,
GET /api/readings as JSON, and the page at /, in cleartext or, with --tls-cert and
--tls-key, over TLS only. A store with no readings is first filled from the
bundled meterusage.csv.

${describeSettings(serveSettings)}`;

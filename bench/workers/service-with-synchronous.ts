// The service as `meterusage serve` starts it, on an SQLite store whose connection commits
// with the synchronous setting given. The store opens with FULL and offers no other, so the
// service's appends before durable commits (NORMAL) are measured here, beside the same
// service with FULL as a control. SQLite allows the switch at any time outside a transaction.
import { importBuilt } from "../dist-modules.js";

const [db, synchronous, ingestToken] = process.argv.slice(2);
const { SqliteStore } = await importBuilt<typeof import("../../server/src/store/sqlite/sqlite-store.js")>("server/src/store/sqlite/sqlite-store.ts");
const { startApp } = await importBuilt<typeof import("../../server/src/app.js")>("server/src/app.ts");
const { createLogger } = await importBuilt<typeof import("../../server/src/observability/logger.js")>("server/src/observability/logger.ts");
const { builtPage } = await importBuilt<typeof import("../../server/src/package-paths.js")>("server/src/package-paths.ts");
const { IngestTokenPolicy } = await importBuilt<typeof import("../../server/src/access/ingest-token-policy.js")>("server/src/access/ingest-token-policy.ts");

const store = new SqliteStore(db);
store["db"].pragma(`synchronous = ${synchronous}`);
const app = await startApp({ store, staticRoot: builtPage, port: 0, host: "127.0.0.1", access: new IngestTokenPolicy(ingestToken), logger: createLogger({ pretty: false }) });
console.log(`synchronous=${synchronous} service on http://127.0.0.1:${app.port}`);

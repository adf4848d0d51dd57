import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { after } from "node:test";
import pg from "pg";
import { packageRoot } from "../../src/package-paths.js";

const startScript = join(packageRoot, "scripts", "start-test-postgres.sh");

export type TestPostgres = { url: string; skip?: undefined } | { url?: undefined; skip: string };

let found: TestPostgres | undefined;

/**
 * The PostgreSQL the tests use: the one at METERUSAGE_TEST_POSTGRES_URL (npm test starts a
 * throwaway cluster and sets it), or else a throwaway cluster this test process starts and
 * stops when its tests are done. Without either, `skip` says why.
 */
export function testPostgres(): TestPostgres {
  found ??= findTestPostgres();
  return found;
}

function findTestPostgres(): TestPostgres {
  const url = process.env.METERUSAGE_TEST_POSTGRES_URL;
  if (url) return { url };
  const cluster = startThrowawayCluster();
  if ("why" in cluster) {
    return { skip: `no PostgreSQL: METERUSAGE_TEST_POSTGRES_URL is unset and no throwaway cluster could be started (${cluster.why})` };
  }
  after(cluster.stop);
  return { url: cluster.url };
}

export type ThrowawayCluster =
  | {
      url: string;
      /** Stops the server and removes the cluster. */
      stop(): void;
      /** Stops the server as an operator would (pg_ctl stop -m fast), keeping its data. */
      pause(): Promise<void>;
      /** Starts the paused server again, at the same URL. */
      resume(): Promise<void>;
    }
  | { why: string };

/** A new cluster from scripts/start-test-postgres.sh, which stop() removes; or why none could start. */
export function startThrowawayCluster(): ThrowawayCluster {
  const started = spawnSync(startScript, { encoding: "utf8" });
  if (started.status !== 0) return { why: started.error?.message ?? started.stderr.trim().split("\n").at(-1) ?? "" };
  const exported = Object.fromEntries([...started.stdout.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name, value]) => [name, value]));
  const folder = exported.METERUSAGE_TEST_POSTGRES_FOLDER;
  // Not spawnSync: the clients of a test go on talking to the service meanwhile.
  const run = async (action: string) => void (await promisify(execFile)(startScript, [action, folder]));
  return {
    url: exported.METERUSAGE_TEST_POSTGRES_URL,
    stop: () => void spawnSync(startScript, ["--stop", folder]),
    pause: () => run("--pause"),
    resume: () => run("--resume"),
  };
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new, empty database on the test cluster. Each store under test gets its own, so that
 * test files running at the same time never hear each other's notices.
 */
export async function createTestDatabase(clusterUrl: string): Promise<TestDatabase> {
  const name = `meterusage_test_${randomBytes(6).toString("hex")}`;
  await asAdmin(clusterUrl, `CREATE DATABASE ${name}`);
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE ends the connections a failed test may have left open.
    drop: async () => void (await asAdmin(clusterUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** Runs one statement on the cluster's own database, which the test databases never are. */
export async function asAdmin(clusterUrl: string, statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Runs one statement on a database of its own connection, answering its rows as arrays. */
export async function queryRows<T extends unknown[]>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>({ text, rowMode: "array" })).rows;
  } finally {
    await client.end();
  }
}

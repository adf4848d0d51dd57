import { execFileSync } from "node:child_process";
import { join } from "node:path";
import pg from "pg";

const startScript = join(import.meta.dirname, "../scripts/start-test-postgres.sh");

export interface PostgresCluster {
  url: string;
  /** A new, empty database on the cluster, for one store size. */
  createDatabase(name: string): Promise<string>;
  dropDatabase(name: string): Promise<void>;
  stop(): void;
}

/**
 * The PostgreSQL the benchmark measures: METERUSAGE_BENCH_POSTGRES_URL, or a throwaway cluster
 * started as the tests start theirs. Answers why not when neither is possible.
 */
export function findPostgresCluster(): PostgresCluster | { skip: string } {
  const given = process.env.METERUSAGE_BENCH_POSTGRES_URL;
  if (given) return cluster(given, () => {});
  let started: string;
  try {
    started = execFileSync(startScript, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? error).trim().split("\n").at(-1);
    return { skip: `no PostgreSQL: METERUSAGE_BENCH_POSTGRES_URL is unset and no throwaway cluster could be started (${stderr})` };
  }
  const exported = Object.fromEntries([...started.matchAll(/^export (\w+)=(.*)$/gm)].map(([, name, value]) => [name, value]));
  return cluster(exported.METERUSAGE_TEST_POSTGRES_URL, () => {
    execFileSync(startScript, ["--stop", exported.METERUSAGE_TEST_POSTGRES_FOLDER]);
  });
}

function cluster(url: string, stop: () => void): PostgresCluster {
  return {
    url,
    async createDatabase(name) {
      await asAdmin(url, `CREATE DATABASE ${name}`);
      const database = new URL(url);
      database.pathname = `/${name}`;
      return database.toString();
    },
    async dropDatabase(name) {
      await asAdmin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
    stop,
  };
}

async function asAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

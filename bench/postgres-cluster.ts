import { startThrowawayCluster } from "../server/test/support/test-postgres.js";
import { restartDurable } from "./durable-postgres.js";

export interface PostgresCluster {
  url: string;
  /** Commits wait for the disk from now on, where the benchmark may change that; otherwise as it is. */
  makeDurable(): Promise<void>;
  stop(): void;
}

/**
 * The PostgreSQL the benchmark measures: METERUSAGE_BENCH_POSTGRES_URL, or a throwaway cluster
 * started as the tests start theirs. Answers why not when neither is possible.
 */
export function findPostgresCluster(): PostgresCluster | { skip: string } {
  const given = process.env.METERUSAGE_BENCH_POSTGRES_URL;
  if (given) return { url: given, makeDurable: async () => {}, stop: () => {} };
  const cluster = startThrowawayCluster();
  if ("why" in cluster) {
    return { skip: `no PostgreSQL: METERUSAGE_BENCH_POSTGRES_URL is unset and no throwaway cluster could be started (${cluster.why})` };
  }
  return { ...cluster, makeDurable: () => restartDurable(cluster.url) };
}

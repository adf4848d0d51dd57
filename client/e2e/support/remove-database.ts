import { rm } from "node:fs/promises";

/** Removes the test servers' temporary databases, with SQLite's side files. */
export default async function removeDatabase(): Promise<void> {
  const databases = [process.env.METERUSAGE_E2E_DB, process.env.METERUSAGE_E2E_LIVE_DB, process.env.METERUSAGE_E2E_METERS_DB, process.env.METERUSAGE_E2E_TOKENS_DB].filter(
    (path) => path !== undefined,
  );
  await Promise.all(databases.flatMap((database) => ["", "-wal", "-shm"].map((suffix) => rm(database + suffix, { force: true }))));
}

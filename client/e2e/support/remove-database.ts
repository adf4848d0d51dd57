import { rm } from "node:fs/promises";

/** Removes the test server's temporary database, with SQLite's side files. */
export default async function removeDatabase(): Promise<void> {
  const database = process.env.METERUSAGE_E2E_DB;
  if (database === undefined) return;
  await Promise.all(["", "-wal", "-shm"].map((suffix) => rm(database + suffix, { force: true })));
}

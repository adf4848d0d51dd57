import { rm } from "node:fs/promises";

/** Removes the Europe/London test server's temporary database, with SQLite's side files. */
export default async function removeLondonDatabase(): Promise<void> {
  const database = process.env.METERUSAGE_E2E_LONDON_DB;
  if (database !== undefined) await Promise.all(["", "-wal", "-shm"].map((suffix) => rm(database + suffix, { force: true })));
}

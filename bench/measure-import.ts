import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { compare, result, type Measured, type Result } from "./results.js";
import { runWorker } from "./run-worker.js";

export interface ImportResults {
  results: Result[];
  /** The store the last import made, which every later measurement of this size reads. */
  db: string;
  /** The same readings as a row each in plain SQLite, which the stream references read. */
  referenceDb: string;
}

/** CSV file to store through the service's import, against a bare better-sqlite3 loop. */
export async function measureImport(folder: string, csv: string, size: number, repeats: number): Promise<ImportResults> {
  const csvBytes = statSync(csv).size;
  const imports: Measured[] = [];
  const references: Measured[] = [];
  let db = "";
  const referenceDb = join(folder, "reference.db");
  for (let run = 0; run < repeats; run++) {
    db = join(folder, `store-${run}.db`);
    const imported = await runWorker<Omit<Measured, "bytes">>("import-csv.ts", [csv, db]);
    imports.push({ ...imported, bytes: csvBytes });
    removeStore(referenceDb);
    const reference = await runWorker<Omit<Measured, "bytes">>("reference-insert.ts", [referenceDb, String(size)]);
    references.push({ ...reference, bytes: csvBytes });
    if (run > 0) removeStore(join(folder, `store-${run - 1}.db`));
  }
  const reference = result(size, "ref: bare better-sqlite3 insert loop", references, "rows made in memory; MB/s counts the CSV's bytes");
  const measured = result(size, "import CSV -> store", imports, "open, parse, insert, commit, close");
  const { rowsPerSecond } = compare(measured, reference);
  measured.goals.push(
    { text: "import faster than the bare insert loop", met: rowsPerSecond > 1 },
    { text: "import >= 500,000 rows/s", met: measured.rowsPerSecond >= 500_000 },
  );
  return { results: [measured, reference], db, referenceDb };
}

function removeStore(db: string): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
}

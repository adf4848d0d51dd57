// What a durable commit costs without the service around it: small appends, a transaction
// each, into store files in the store's WAL mode, synced to disk at every commit
// (synchronous=FULL, as the store now opens them) or only at checkpoints (NORMAL, WAL's usual
// setting and the store's before). Once through bare better-sqlite3, inserting into a table of
// a row a reading, and once through the store's own appendReadings, which re-encodes the
// meter's tail chunk and keeps its figures.
import Database from "better-sqlite3";
import { join } from "node:path";
import { importBuilt } from "../dist-modules.js";
import { inTurns } from "../in-turns.js";
import { createRowReference } from "../row-reference-schema.js";
import { stepMs } from "../synthetic-readings.js";

const [folder, secondsText, roundsText, readingsText] = process.argv.slice(2);
const readingsPerAppend = Number(readingsText);
const { SqliteStore } = await importBuilt<typeof import("../../server/src/store/sqlite/sqlite-store.js")>("server/src/store/sqlite/sqlite-store.ts");

type Synchronous = "NORMAL" | "FULL";
const settings: Synchronous[] = ["NORMAL", "FULL"];

/** Each case appends the next readings of its own meter, 15 minutes apart. */
function nextReadings() {
  let time = Date.UTC(2030, 0, 1);
  return () => Array.from({ length: readingsPerAppend }, () => ({ time: (time += stepMs), value: 1.5 }));
}

function bare(synchronous: Synchronous) {
  const db = new Database(join(folder, `bare-${synchronous}.db`));
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous}`);
  createRowReference(db);
  const insert = db.prepare<[number, number | null]>("INSERT INTO readings (meter, time, value) VALUES (1, ?, ?)");
  const append = db.transaction((readings: { time: number; value: number }[]) => {
    for (const { time, value } of readings) insert.run(time, value);
  });
  const next = nextReadings();
  return { name: `bare better-sqlite3, WAL + synchronous=${synchronous}`, append: () => append(next()), close: () => db.close() };
}

function store(synchronous: Synchronous) {
  const opened = new SqliteStore(join(folder, `store-${synchronous}.db`));
  // The store opens its connection with FULL and offers no other setting; the "before" is
  // the same connection switched back, which SQLite allows at any time outside a transaction.
  opened["db"].pragma(`synchronous = ${synchronous}`);
  const next = nextReadings();
  return {
    name: `SqliteStore.appendReadings, WAL + synchronous=${synchronous}`,
    append: () => opened.appendReadings([{ meter: "appends", readings: next() }]),
    close: () => void opened.close(),
  };
}

const cases = [...settings.map(bare), ...settings.map(store)];
const turns = await inTurns(
  cases.map(({ append }) => append),
  Number(secondsText),
  Number(roundsText),
);
for (const { close } of cases) close();
console.log(JSON.stringify(cases.map(({ name }, index) => ({ name, ...turns[index] }))));

// Adds up the tally thread's shares (see TallyThread), from a connection of its own that only reads.
import Database from "better-sqlite3";
import { parentPort, workerData } from "node:worker_threads";
import { SqliteChunks } from "./sqlite-chunks.js";
import { packTallies, tallyMeters } from "./sqlite-tally.js";
import type { TallyShare, TallyThreadMessage } from "./tally-share.js";

const port = parentPort!;
const db = new Database((workerData as { path: string }).path, { fileMustExist: true });
db.pragma("query_only = ON");
db.pragma("busy_timeout = 5000");
const chunks = new SqliteChunks(db);

function send(message: TallyThreadMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

port.on("message", ({ ids, names, starts, ends }: TallyShare) => {
  try {
    const spans = Array.from(starts, (start, index) => ({ start, end: ends[index] }));
    const packed = packTallies(tallyMeters(chunks, ids, names, spans), spans.length);
    send({ kind: "tallied", packed }, [packed.buffer]);
  } catch {
    // The thread that asked adds the share up itself, and says what was wrong (a damaged chunk, say) as it does.
    send({ kind: "failed" });
  }
});
send({ kind: "ready" });

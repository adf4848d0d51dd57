import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type { Reading } from "../../src/readings/reading.js";
import type { ReadingStore } from "../../src/store/reading-store.js";
import { lateBurst } from "./late-bursts.js";
import { storedReadings } from "./stored-readings.js";
import { storedTallies } from "./stored-tallies.js";

const yearStart = Date.UTC(2019, 0, 1);

/**
 * Runs a writer of late bursts (a script printing each burst's number once committed) and
 * kills it with SIGKILL once it has acknowledged `bursts` of them; answers the last burst it
 * acknowledged.
 */
export async function killLateWriter(script: string, args: string[], bursts: number): Promise<number> {
  const writer = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let acknowledged = -1;
  let output = "";
  writer.stdout.on("data", (data: Buffer) => {
    output += data.toString();
    const lines = output.split("\n");
    output = lines.pop()!;
    if (lines.length > 0) acknowledged = Number(lines.at(-1));
  });
  while (acknowledged < bursts && writer.exitCode === null) await sleep(5);
  writer.kill("SIGKILL");
  await once(writer, "exit");
  assert.ok(acknowledged >= bursts, "the writer stopped before it was killed");
  return acknowledged;
}

/** The meter holds its year and every acknowledged burst, and of the burst under way when the kill came all or nothing. */
export async function assertWholeBursts(store: ReadingStore, meter: string, year: Reading[], lastAcknowledged: number): Promise<void> {
  const stored = await storedReadings(store, {}, meter);
  const committed = stored.length - year.length;
  assert.ok(committed % 5 === 0, `${committed} late readings: a burst was stored in part`);
  const bursts = committed / 5;
  assert.ok(bursts === lastAcknowledged + 1 || bursts === lastAcknowledged + 2, `${bursts} bursts stored, ${lastAcknowledged + 1} acknowledged`);
  const expected = [...year, ...Array.from({ length: bursts }, (_, burst) => lateBurst(burst)).flat()].sort((a, b) => a.time - b.time);
  assert.deepEqual(stored, expected);
  assert.equal((await store.meter(meter))?.count, expected.length);
  const [[tally]] = await storedTallies(store, [meter], [{ start: yearStart, end: yearStart + 366 * 86_400_000 }]);
  assert.equal(tally.count + tally.missingCount, expected.length);
}

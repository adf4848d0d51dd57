import { once } from "node:events";
import { createWriteStream } from "node:fs";

/** The first synthetic reading; 1e7 readings 15 minutes apart reach into the 23rd century. */
export const firstTime = Date.UTC(2000, 0, 1);
export const stepMs = 15 * 60_000;
/** About one reading in this many has no value, as meters sometimes report none. */
const missingOneIn = 1000;
/** The one meter of a synthetic store: its CSV's only value column. */
export const syntheticMeter = "meterusage";

/**
 * The value of the reading at `index`, or null for a missing one: the same for every caller,
 * so the CSV, the bare-SQLite reference and the store all hold the same rows.
 */
export function syntheticValue(index: number): number | null {
  const random = mulberry32(index);
  if (random() * missingOneIn < 1) return null;
  const daily = Math.sin(((index % 96) / 96) * 2 * Math.PI);
  return Math.round((55 + 20 * daily + 30 * random()) * 100) / 100;
}

export function syntheticTime(index: number): number {
  return firstTime + index * stepMs;
}

/** Writes `count` readings as the import's wide CSV of one meter: `YYYY-MM-DD HH:MM:SS,value`, NaN when missing. */
export async function writeSyntheticCsv(path: string, count: number): Promise<void> {
  const out = createWriteStream(path);
  const linesPerChunk = 50_000;
  out.write(`time,${syntheticMeter}\n`);
  for (let start = 0; start < count; start += linesPerChunk) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(count, start + linesPerChunk); i++) {
      const time = new Date(syntheticTime(i)).toISOString();
      lines.push(`${time.slice(0, 10)} ${time.slice(11, 19)},${syntheticValue(i) ?? "NaN"}\n`);
    }
    if (!out.write(lines.join(""))) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** A small seeded generator: each index gets its own stream, so rows need no shared state. */
function mulberry32(seed: number): () => number {
  let state = seed ^ 0x9e3779b9;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// `node --import tsx bench/measure-formats.ts` (after npm run build): imports synthetic files of
// each format the import recognises with the built `meterusage import`, as a user runs it, and
// prints readings/s and the importing process's peak RSS. Octopus JSON is timed both ways: a
// million half-hours in one file with the CLI, and 20 files of a meter's year each, too little to
// time one process on, imported one after another in this process, as the CLI imports each. Goals: ESPI >= 300,000 readings/s and a 100 MB feed under 200 MB RSS;
// the CSV formats and Octopus JSON >= 500,000 readings/s.
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type * as ImportFileModule from "../server/src/ingest/import-file.js";
import type * as SqliteStoreModule from "../server/src/store/sqlite/sqlite-store.js";
import { importWithCli } from "./cli-import.js";
import { importBuilt } from "./dist-modules.js";

const start = Date.UTC(2000, 0, 1) / 1000;
const quarter = 900;

interface Case {
  name: string;
  file: string;
  readings: number;
  args: string[];
  write(line: (text: string) => Promise<void>): Promise<void>;
}

const stamp = (i: number) => new Date((start + i * quarter) * 1000).toISOString();

const cases: Case[] = [
  {
    name: "Green Button ESPI XML (100 MB)",
    file: "feed.xml",
    readings: 560_000,
    args: [],
    async write(line) {
      const r = "/espi/1_1/resource";
      await line(`<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">\n`);
      await line(`<entry><link rel="self" href="${r}/UsagePoint/1"/><title>bench</title><content><espi:UsagePoint/></content></entry>\n`);
      await line(`<entry><link rel="self" href="${r}/UsagePoint/1/MeterReading/1"/><link rel="related" href="${r}/ReadingType/1"/><content><espi:MeterReading/></content></entry>\n`);
      await line(
        `<entry><link rel="self" href="${r}/ReadingType/1"/><content><espi:ReadingType><espi:accumulationBehaviour>4</espi:accumulationBehaviour>` +
          `<espi:intervalLength>900</espi:intervalLength><espi:powerOfTenMultiplier>0</espi:powerOfTenMultiplier><espi:uom>72</espi:uom></espi:ReadingType></content></entry>\n`,
      );
      for (let day = 0; day * 96 < this.readings; day++) {
        let block = `<entry><link rel="up" href="${r}/UsagePoint/1/MeterReading/1/IntervalBlock"/><content><espi:IntervalBlock><espi:interval><espi:duration>86400</espi:duration><espi:start>${start + day * 86400}</espi:start></espi:interval>\n`;
        for (let i = day * 96; i < Math.min((day + 1) * 96, this.readings); i++) {
          block += `<espi:IntervalReading><espi:timePeriod><espi:duration>900</espi:duration><espi:start>${start + i * quarter}</espi:start></espi:timePeriod><espi:value>${i % 5000}</espi:value></espi:IntervalReading>\n`;
        }
        await line(`${block}</espi:IntervalBlock></content></entry>\n`);
      }
      await line("</feed>\n");
    },
  },
  {
    name: "Green Button CSV",
    file: "usage.csv",
    readings: 1_000_000,
    args: ["--time-zone", "UTC"],
    async write(line) {
      await line(`Name,BENCH\nAddress,"1 MAIN ST, TOWN"\n\nTYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES\n`);
      for (let i = 0; i < this.readings; i++) await line(`Electric usage,${stamp(i).slice(0, 10)},${stamp(i).slice(11, 16)},${stamp(i).slice(11, 16)},${(i % 5000) / 1000},$0.10,\n`);
    },
  },
  {
    name: "Octopus JSON, one file (57 years)",
    file: "octopus.json",
    readings: 1_000_000,
    args: ["--meter", "mpan-1200000000000"],
    async write(line) {
      let separator = "[";
      for (const page of octopusPages(0, Date.UTC(1970, 0, 1), this.readings)) {
        await line(separator + page);
        separator = ",\n";
      }
      await line("]\n");
    },
  },
  {
    name: "spreadsheet CSV, European dialect",
    file: "eu.csv",
    readings: 1_000_000,
    args: [],
    async write(line) {
      await line("time;bench\n");
      for (let i = 0; i < this.readings; i++) await line(`${stamp(i).slice(0, 19).replace("T", " ")};${Math.floor((i % 5000) / 10)},${i % 10}\n`);
    },
  },
  {
    name: "spreadsheet CSV, every field quoted",
    file: "quoted.csv",
    readings: 1_000_000,
    args: [],
    async write(line) {
      await line(`"time","bench"\n`);
      for (let i = 0; i < this.readings; i++) await line(`"${stamp(i).slice(0, 19).replace("T", " ")}","${(i % 5000) / 10}"\n`);
    },
  },
];

async function writeFile(path: string, write: Case["write"], self: Case): Promise<void> {
  const out = createWriteStream(path);
  let pending = "";
  await write.call(self, async (text) => {
    pending += text;
    if (pending.length > 1 << 16) {
      if (!out.write(pending)) await once(out, "drain");
      pending = "";
    }
  });
  out.end(pending);
  await once(out, "finish");
}

const octopusMeters = 20;
const halfHour = 1_800_000;

const london = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", timeZoneName: "longOffset" });
const londonOffsets = new Map<number, string | undefined>();

/** `time` as the Octopus API writes it, with London's offset: `2025-06-01T10:30:00+01:00`, or `Z` in winter. */
function octopusTime(time: number): string {
  const hour = Math.floor(time / 3_600_000);
  if (!londonOffsets.has(hour)) londonOffsets.set(hour, /GMT([+-]\d\d:\d\d)?/.exec(london.format(time))![1]);
  const offset = londonOffsets.get(hour);
  const shift = offset === undefined ? 0 : (offset.startsWith("-") ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4))) * 60_000;
  return new Date(time + shift).toISOString().slice(0, 19) + (offset ?? "Z");
}

/** The API's pages of `count` half-hours from `first` (100 results a page, newest first), each as its JSON. */
function* octopusPages(meter: number, first: number, count: number): Generator<string> {
  const url = `https://api.octopus.energy/v1/electricity-meter-points/12000${meter}/meters/S${meter}/consumption/?page=`;
  let page = 0;
  for (let end = count; end > 0; end -= 100) {
    page++;
    const results = [];
    for (let i = end - 1; i >= Math.max(0, end - 100); i--) {
      results.push({ consumption: ((i * 7 + meter) % 1000) / 1000, interval_start: octopusTime(first + i * halfHour), interval_end: octopusTime(first + (i + 1) * halfHour) });
    }
    yield JSON.stringify({ count, next: end > 100 ? `${url}${page + 1}` : null, previous: page > 1 ? `${url}${page - 1}` : null, results });
  }
}

/** A meter's 2025 as the Octopus API pages it, saved as a JSON array of its pages. */
function octopusYear(meter: number): string {
  return `[${[...octopusPages(meter, Date.UTC(2025, 0, 1), 365 * 48)].join(",")}]`;
}

/** Imports each meter's file with the CLI's importFile into one store, in this process: readings/s by wall clock and by CPU time. */
async function measureOctopus(folder: string): Promise<void> {
  const { importFile } = await importBuilt<typeof ImportFileModule>("server/src/ingest/import-file.ts");
  const { SqliteStore } = await importBuilt<typeof SqliteStoreModule>("server/src/store/sqlite/sqlite-store.ts");
  const files = Array.from({ length: octopusMeters }, (_, meter) => {
    const path = join(folder, `octopus-${meter}.json`);
    writeFileSync(path, octopusYear(meter));
    return path;
  });
  const bytes = files.reduce((sum, path) => sum + statSync(path).size, 0);
  const store = new SqliteStore(join(folder, "octopus.db"));
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let stored = 0;
    for (const [meter, path] of files.entries()) stored += (await importFile(store, path, { meter: `mpan-12000${meter}`, fileName: path })).stored;
    const { user, system } = process.cpuUsage(cpu);
    const seconds = (performance.now() - started) / 1000;
    if (stored !== octopusMeters * 365 * 48) throw new Error(`Octopus JSON: imported ${stored} readings, not ${octopusMeters * 365 * 48}`);
    const name = `Octopus JSON (${octopusMeters} meters' years)`;
    console.log(
      `${name.padEnd(38)} ${stored.toLocaleString("en").padStart(10)} readings ${(bytes / 1e6).toFixed(0).padStart(4)} MB ${seconds.toFixed(2).padStart(6)} s ${Math.round(stored / seconds).toLocaleString("en").padStart(9)} readings/s  ${Math.round(stored / ((user + system) / 1e6)).toLocaleString("en")} readings per CPU-second, worker thread included`,
    );
  } finally {
    await store.close();
  }
}

const folder = mkdtempSync(join(os.tmpdir(), "meterusage-formats-bench-"));
try {
  console.log(`${os.cpus().length} CPUs, load ${os.loadavg().map((load) => load.toFixed(1)).join(" ")}`);
  for (const one of cases) {
    const path = join(folder, one.file);
    await writeFile(path, one.write, one);
    const bytes = statSync(path).size;
    const { rows: stored, seconds, peakRssMb: peak } = await importWithCli(path, join(folder, `${one.file}.db`), bytes, one.args);
    if (stored !== one.readings) throw new Error(`${one.name}: imported ${stored} readings, not ${one.readings}`);
    console.log(`${one.name.padEnd(38)} ${stored.toLocaleString("en").padStart(10)} readings ${(bytes / 1e6).toFixed(0).padStart(4)} MB ${seconds.toFixed(2).padStart(6)} s ${Math.round(stored / seconds).toLocaleString("en").padStart(9)} readings/s  peak RSS ${peak.toFixed(0)} MB`);
  }
  await measureOctopus(folder);
} finally {
  rmSync(folder, { recursive: true, force: true });
}

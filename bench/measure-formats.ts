// `node --import tsx bench/measure-formats.ts` (after npm run build): imports synthetic files of
// each format the import recognises with the built `meterusage import`, as a user runs it, and
// prints readings/s and the importing process's peak RSS. Goals: ESPI >= 300,000 readings/s and a
// 100 MB feed under 200 MB RSS; the CSV formats >= 500,000 readings/s.
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { importWithCli } from "./cli-import.js";

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
} finally {
  rmSync(folder, { recursive: true, force: true });
}

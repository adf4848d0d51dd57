import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { ChildServer } from "./child-server.js";
import { curlDownload } from "./curl-download.js";
import { fleetMeter, fleetYear, readingsPerMeterYear } from "./fleet-readings.js";
import { peakRssMb } from "./process-memory.js";
import { compare, result, type Measured, type Result } from "./results.js";
import { samplesInExport, victoriaMetricsExportUrl, type VictoriaMetrics } from "./victoria-metrics.js";

/** How far an answer may differ in bytes from the one counted: a missing reading is shorter. */
const bytesTolerance = 0.01;

export const yearJsonResultName = (label: string) => `${label}: one meter's year as JSON, GET /api/readings (HTTP/1.1)`;
export const victoriaExportResultName = "VictoriaMetrics: one meter's year, GET /api/v1/export (HTTP/1.1)";

interface Source {
  name: string;
  pid: number;
  url(meter: string): string;
  count(body: string): number;
}

/**
 * One meter's year as JSON, whole answers read by curl, another meter each time: from
 * /api/readings, and, in turns with it, from VictoriaMetrics' /api/v1/export of the same
 * meter and range when it runs. The first answer of each, uncounted, is counted reading by
 * reading; VictoriaMetrics answers no sample for a missing reading.
 */
export async function measureYearJson(server: ChildServer, vm: VictoriaMetrics | undefined, meters: number, size: number, runs: number, folder: string): Promise<Result[]> {
  const range = (meter: string) => new URLSearchParams({ meter, start: new Date(fleetYear.start).toISOString(), end: new Date(fleetYear.end).toISOString() });
  const sources: Source[] = [
    {
      name: yearJsonResultName("fleet"),
      pid: server.pid,
      url: (meter) => `http://127.0.0.1:${server.port}/api/readings?${range(meter)}`,
      count: (body) => (JSON.parse(body) as { readings: unknown[] }).readings.length,
    },
  ];
  if (vm !== undefined) {
    sources.push({ name: victoriaExportResultName, pid: vm.pid, url: (meter) => victoriaMetricsExportUrl(vm, meter, fleetYear), count: samplesInExport });
  }
  const counted = await Promise.all(
    sources.map(async (source, index) => {
      const output = join(folder, `year-json-${index}.body`);
      const download = await curlDownload(source.url(fleetMeter(0)), { output });
      const readings = source.count(readFileSync(output, "utf8"));
      rmSync(output);
      if (download.status !== 200 || readings < 0.99 * readingsPerMeterYear || readings > readingsPerMeterYear) {
        throw new Error(`${source.name}: HTTP ${download.status}, ${readings} readings where a year has ${readingsPerMeterYear}`);
      }
      return { readings, bytes: download.bytes };
    }),
  );
  const measured = sources.map((): Measured[] => []);
  for (let i = 1; i <= runs; i++) {
    const meter = fleetMeter((i * 97) % meters);
    for (const [index, source] of sources.entries()) {
      const download = await curlDownload(source.url(meter));
      if (download.status !== 200 || Math.abs(download.bytes / counted[index].bytes - 1) > bytesTolerance) {
        throw new Error(`${source.name}: HTTP ${download.status}, ${download.bytes} bytes where the counted answer had ${counted[index].bytes}`);
      }
      measured[index].push({ rows: counted[index].readings, bytes: download.bytes, seconds: download.seconds, peakRssMb: peakRssMb(source.pid) });
    }
  }
  const results = sources.map((source, index) => result(size, source.name, measured[index], `median of ${runs}, read by curl; ${counted[index].readings} readings an answer`));
  if (results.length > 1) compare(results[0], results[1]);
  return results;
}

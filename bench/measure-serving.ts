import { join } from "node:path";
import { readFileSync, rmSync } from "node:fs";
import type { ChildServer } from "./child-server.js";
import { curlDownload } from "./curl-download.js";
import { readingsPerMeterYear } from "./fleet-readings.js";
import { dayMs } from "./measure-range-latency.js";
import { stepMs } from "./synthetic-readings.js";
import { timeCalls } from "./grpc-latency.js";
import { peakRssMb } from "./process-memory.js";
import { latencyResult, result, unrated, type Measured, type Result } from "./results.js";
import { envelope, readingsInStream, streamProtocols, streamReadingsPath, streamRequest, writeStreamRequest, type StreamedRange } from "./stream-protocols.js";

const listMetersPath = "/meterusage.v1.MeterUsageService/ListMeters";
/** An empty ListMetersRequest. */
const listMetersRequest = envelope(new Uint8Array());
/** How far a year's stream may differ in bytes from the one counted: a missing reading is 9 bytes shorter. */
const yearBytesTolerance = 0.01;

/** A store being served, and how to ask it the same questions as every other. */
export interface ServedStore {
  /** Names its results, e.g. "fleet" or "single meter". */
  label: string;
  /** Readings it holds. */
  size: number;
  meters: number;
  server: ChildServer;
  /** The i-th one-day range of one meter. */
  day(i: number): StreamedRange;
  /** The i-th year of one meter: readingsPerMeterYear readings. */
  year(i: number): StreamedRange;
}

export interface ServedResults {
  listMeters: Result;
  day: Result;
  year: Result;
  /** The server's peak RSS from its start to the end of the measurements. */
  memory: Result;
}

/**
 * What a client of many meters asks: the list of meters, a day of one meter, a year of one
 * meter; each store asked in turn, so that the machine's noise falls on all alike.
 */
export async function measureServing(
  stores: ServedStore[],
  { folder, requests, streams }: { folder: string; requests: number; streams: number },
): Promise<ServedResults[]> {
  const listMeters = await timeCalls(
    stores.map(({ server }) => ({ port: server.port, path: listMetersPath, until: "end", body: () => listMetersRequest })),
    requests,
  );
  const days = await timeCalls(
    stores.map((store) => ({ port: store.server.port, path: streamReadingsPath, until: "first message", body: (i) => streamRequest(store.day(i)) })),
    requests,
  );
  const years = await streamYears(stores, folder, streams);
  return stores.map((store, index) => ({
    listMeters: latencyResult(store.size, `${store.label}: ListMeters, whole answer (gRPC h2c)`, listMeters[index], requests * store.meters, `${store.meters} meter${store.meters === 1 ? "" : "s"}`),
    day: latencyResult(store.size, `${store.label}: one meter's day, time to first reading (gRPC h2c)`, days[index], (requests * dayMs) / stepMs),
    year: result(store.size, `${store.label}: one meter's year streamed (gRPC h2c)`, years[index], `median of ${streams} streams of ${readingsPerMeterYear} readings, read by curl`),
    memory: { ...unrated(store.size, `${store.label}: serving process, peak RSS`, NaN, 0, "from its start to the end of the above"), peakRssMb: peakRssMb(store.server.pid) },
  }));
}

/** Whole years of one meter each, read by curl in its own process; the first, uncounted, is checked reading by reading. */
async function streamYears(stores: ServedStore[], folder: string, streams: number): Promise<Measured[][]> {
  const grpc = streamProtocols[0].curl;
  const url = (store: ServedStore) => `http://127.0.0.1:${store.server.port}${streamReadingsPath}`;
  const countedBytes = await Promise.all(
    stores.map(async (store, index) => {
      const body = join(folder, `year-${index}.body`);
      const download = await curlDownload(url(store), { ...grpc, bodyFile: writeStreamRequest(folder, `year-${index}`, store.year(0)), output: body });
      const readings = readingsInStream(readFileSync(body));
      rmSync(body);
      if (download.status !== 200 || readings !== readingsPerMeterYear) {
        throw new Error(`${store.label}: a year's stream carried ${readings} readings (HTTP ${download.status}), not ${readingsPerMeterYear}`);
      }
      return download.bytes;
    }),
  );
  const runs = stores.map((): Measured[] => []);
  for (let i = 1; i <= streams; i++) {
    for (const [index, store] of stores.entries()) {
      const download = await curlDownload(url(store), { ...grpc, bodyFile: writeStreamRequest(folder, `year-${index}-${i}`, store.year(i)) });
      const offBy = Math.abs(download.bytes / countedBytes[index] - 1);
      if (download.status !== 200 || !/^grpc-status: 0\r?$/m.test(download.headers) || offBy > yearBytesTolerance) {
        throw new Error(`${store.label}: a year's stream sent ${download.bytes} bytes where the counted one had ${countedBytes[index]}:\n${download.headers}`);
      }
      runs[index].push({ rows: readingsPerMeterYear, bytes: download.bytes, seconds: download.seconds, peakRssMb: peakRssMb(store.server.pid) });
    }
  }
  return runs;
}

// The chunk codec on the fleet's values, alone (no store): bytes per reading at the chunk sizes
// a store might choose, beside the order-0 entropy of the value deltas (the floor for a coder
// that looks at one delta at a time), and encode and decode rates in one thread. The rates are
// readings per second of the process's CPU time, of the median meter: the codec is one thread's
// arithmetic, and on a machine shared with other work wall time would measure the neighbours (on
// a quiet one the two agree).
// `node --import tsx bench/measure-codec.ts [meters]` prints the same as a table by itself.
import { fileURLToPath } from "node:url";
import { decodeChunk, encodeChunk } from "../server/src/chunks/chunk-codec.js";
import { decimalExponent, powersOfTen } from "../server/src/chunks/decimal-scale.js";
import { fleetYear, readingsPerMeterYear } from "./fleet-readings.js";
import { formatReport } from "./report.js";
import { result, storageResult, type Measured, type Result } from "./results.js";
import { stepMs, syntheticValue } from "./synthetic-readings.js";

export const codecChunkSizes = [96, 288, 672, 1000];
const bytesGoal = 1.75;
const decodeGoal = 20e6;
const encodeGoal = 5e6;

export function measureCodec(meters: number, log: (message: string) => void = () => {}): Result[] {
  const size = meters * readingsPerMeterYear;
  const times = Float64Array.from({ length: readingsPerMeterYear }, (_, i) => fleetYear.start + i * stepMs);
  const values = new Float64Array(readingsPerMeterYear);
  const stored = codecChunkSizes.map(() => ({ bytes: 0, encodes: [] as Measured[], decodes: [] as Measured[] }));
  const deltaCounts = new Map<number, number>();
  let deltas = 0;
  log(`codec: ${meters} meters' year of fleet values in chunks of ${codecChunkSizes.join(", ")}`);
  for (let meter = 0; meter < meters; meter++) {
    for (let i = 0; i < readingsPerMeterYear; i++) values[i] = syntheticValue(meter * readingsPerMeterYear + i) ?? NaN;
    deltas += countDeltas(values, deltaCounts);
    codecChunkSizes.forEach((chunkSize, s) => {
      // The first meter warms the code up and is measured again after.
      for (let round = meter === 0 ? 0 : 1; round < 2; round++) {
        const chunks: Uint8Array[] = [];
        let started = cpuSeconds();
        for (let first = 0; first < readingsPerMeterYear; first += chunkSize) {
          const end = Math.min(readingsPerMeterYear, first + chunkSize);
          chunks.push(encodeChunk(times.subarray(first, end), values.subarray(first, end)));
        }
        const encodeSeconds = cpuSeconds() - started;
        started = cpuSeconds();
        for (const chunk of chunks) decodeChunk(chunk);
        const decodeSeconds = cpuSeconds() - started;
        if (round === 0) continue;
        const bytes = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
        stored[s].bytes += bytes;
        stored[s].encodes.push({ rows: readingsPerMeterYear, bytes, seconds: encodeSeconds, peakRssMb: NaN });
        stored[s].decodes.push({ rows: readingsPerMeterYear, bytes, seconds: decodeSeconds, peakRssMb: NaN });
      }
    });
  }
  const floor = entropyBytes(deltaCounts, deltas);
  return codecChunkSizes.flatMap((chunkSize, s) => {
    const { bytes, encodes, decodes } = stored[s];
    const sized = storageResult(size, `codec: fleet values and times, chunks of ${chunkSize}`, bytes, `${(bytes / size).toFixed(3)} B/reading; order-0 entropy of the value deltas ${floor.toFixed(3)}`);
    sized.goals.push({ text: `codec, chunks of ${chunkSize}: <= ${bytesGoal} B/reading (${(bytes / size).toFixed(3)})`, met: bytes / size <= bytesGoal });
    const encoded = result(size, `codec: encode, chunks of ${chunkSize}`, encodes, "a meter's year, one thread, CPU time, median meter");
    encoded.goals.push({ text: `codec encode, chunks of ${chunkSize}: >= 5M readings/s (${rate(encoded)})`, met: encoded.rowsPerSecond >= encodeGoal });
    const decoded = result(size, `codec: decode, chunks of ${chunkSize}`, decodes, "a meter's year, one thread, CPU time, median meter");
    decoded.goals.push({ text: `codec decode, chunks of ${chunkSize}: >= 20M readings/s (${rate(decoded)})`, met: decoded.rowsPerSecond >= decodeGoal });
    return [sized, encoded, decoded];
  });
}

/** Adds the deltas between a meter's consecutive present values, as decimal-scaled integers, to `counts`. */
function countDeltas(values: Float64Array, counts: Map<number, number>): number {
  const present = values.filter((value) => !Number.isNaN(value));
  const scale = powersOfTen[Math.max(0, decimalExponent(present, present.length))];
  for (let i = 1; i < present.length; i++) {
    const delta = Math.round(present[i] * scale) - Math.round(present[i - 1] * scale);
    counts.set(delta, (counts.get(delta) ?? 0) + 1);
  }
  return present.length - 1;
}

function entropyBytes(counts: Map<number, number>, total: number): number {
  let bits = 0;
  for (const count of counts.values()) bits -= count * Math.log2(count / total);
  return bits / total / 8;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const rate = (measured: Result) => `${(measured.rowsPerSecond / 1e6).toFixed(1)}M readings/s`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const results = measureCodec(Number(process.argv[2] ?? 100), (message) => process.stderr.write(`${message}\n`));
  console.log(formatReport(results, results.flatMap((measured) => measured.goals), `Node ${process.version}`));
}

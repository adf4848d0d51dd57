// `node --import tsx bench/mqtt.ts` (after npm run build): the MQTT part of `npm run bench` alone.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { measureMqtt } from "./measure-mqtt.js";
import { formatReport } from "./report.js";

const { values } = parseArgs({ options: { messages: { type: "string", default: "200000" }, "latency-seconds": { type: "string", default: "10" } } });
const folder = mkdtempSync(join(os.tmpdir(), "meterusage-bench-mqtt-"));
try {
  const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
  const results = await measureMqtt({ folder, messages: Number(values.messages), latencySeconds: Number(values["latency-seconds"]), log });
  const goals = results.flatMap((r) => r.goals);
  console.log(formatReport(results, goals, `${os.availableParallelism()} CPUs, Node ${process.version}`));
} finally {
  rmSync(folder, { recursive: true, force: true });
}

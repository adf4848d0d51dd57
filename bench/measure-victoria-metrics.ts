import { join } from "node:path";
import type { FleetOrder } from "./fleet-readings.js";
import { result, storageResult, type Result } from "./results.js";
import { importIntoVictoriaMetrics, startVictoriaMetrics, victoriaMetricsSize, type VictoriaMetrics } from "./victoria-metrics.js";

export const victoriaImportResultName = (order: FleetOrder) => `VictoriaMetrics: import of the long CSV, ${order}`;
export const victoriaSizeResultName = "VictoriaMetrics: store on disk";

/**
 * VictoriaMetrics, the reference, started on a throwaway directory under `folder`, fed the
 * fleet's CSV through /api/v1/import/csv; with `measureSize`, its bytes on disk after a
 * forced merge too. Answers it still running, for the caller to ask and then stop.
 */
export async function victoriaMetricsFleet(
  binary: string,
  folder: string,
  csv: string,
  readings: number,
  order: FleetOrder,
  measureSize: boolean,
): Promise<{ vm: VictoriaMetrics; results: Result[] }> {
  const vm = await startVictoriaMetrics(binary, join(folder, `victoria-metrics-${order}`));
  try {
    const imported = result(readings, victoriaImportResultName(order), [await importIntoVictoriaMetrics(vm, csv, readings)], "curl posts the file; timed to the end of /internal/force_flush; RSS is VictoriaMetrics'");
    if (!measureSize) return { vm, results: [imported] };
    const { bytes, parts } = await victoriaMetricsSize(vm);
    const shares = Object.entries(parts)
      .filter(([, partBytes]) => partBytes > 0)
      .map(([part, partBytes]) => `${part} ${(partBytes / readings).toFixed(2)} B`)
      .join(", ");
    const size = storageResult(readings, victoriaSizeResultName, bytes, `after /internal/force_merge, every file of its data directory: ${shares}; it keeps no sample for a missing reading`);
    return { vm, results: [imported, size] };
  } catch (error) {
    await vm.stop();
    throw error;
  }
}

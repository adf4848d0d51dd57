import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ReadingStore } from "../store/reading-store.js";

/** Everything GET /metrics reports, in a registry of its own so several services can share a process. */
export class ServiceMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: "meterusage_requests_total",
    help: "Requests answered, by protocol, procedure or route, and gRPC code or HTTP status",
    labelNames: ["protocol", "procedure", "code"] as const,
    registers: [this.registry],
  });

  readonly rowsStreamed = new Counter({
    name: "meterusage_rows_streamed_total",
    help: "Readings sent to clients, by protocol",
    labelNames: ["protocol"] as const,
    registers: [this.registry],
  });

  readonly streamDuration = new Histogram({
    name: "meterusage_stream_duration_seconds",
    help: "How long streaming responses took, from request to last message",
    labelNames: ["protocol", "procedure"] as const,
    buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60, 600],
    registers: [this.registry],
  });

  readonly openStreams = new Gauge({
    name: "meterusage_open_streams",
    help: "Streaming responses under way, by protocol",
    labelNames: ["protocol"] as const,
    registers: [this.registry],
  });

  constructor(store: ReadingStore) {
    new Gauge({
      name: "meterusage_store_readings",
      help: "Readings stored",
      registers: [this.registry],
      async collect() {
        this.set(await store.count());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: "meterusage_" });
  }
}

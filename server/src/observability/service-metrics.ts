import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { StoreAvailability } from "../store/availability/store-availability.js";
import { StoreUnavailableError } from "../store/availability/store-unavailable-error.js";
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

  constructor(store: ReadingStore, availability: StoreAvailability) {
    new Gauge({
      name: "meterusage_store_readings",
      help: "Readings stored (the last count while the store is unavailable)",
      registers: [this.registry],
      async collect() {
        // A scrape still answers while the store is away: that is when meterusage_store_up matters.
        const count = await store.count().catch((error: unknown) => {
          if (error instanceof StoreUnavailableError) return undefined;
          throw error;
        });
        if (count !== undefined) this.set(count);
      },
    });
    new Gauge({
      name: "meterusage_store_up",
      help: "1 while the store answers, 0 while it is unavailable (unreachable, or its disk full or read-only)",
      registers: [this.registry],
      async collect() {
        await availability.confirm();
        this.set(availability.available ? 1 : 0);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: "meterusage_" });
  }
}

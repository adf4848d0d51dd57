import { formatTimestamp } from "../../readings/timestamp-text.js";

/** A stored chunk whose bytes do not decode: said, with where it is, rather than read as something else. */
export class DamagedChunkError extends Error {
  constructor(
    readonly meter: string,
    readonly chunkStart: number,
    readonly key: number,
    cause: unknown,
  ) {
    super(
      `the stored chunk ${key} of meter ${meter} (readings from ${formatTimestamp(chunkStart)}) is damaged: ` +
        (cause instanceof Error ? cause.message : String(cause)),
      { cause },
    );
    this.name = "DamagedChunkError";
  }
}

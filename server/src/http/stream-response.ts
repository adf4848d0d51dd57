import { once } from "node:events";
import type { HttpResponse } from "./http-types.js";

/**
 * Writes text chunks as they come, waiting whenever the client reads slower than we
 * produce, and stops pulling chunks, and so reading the store, once the client is gone.
 */
export async function streamResponse(response: HttpResponse, chunks: AsyncIterable<string>): Promise<void> {
  const closed = new AbortController();
  const onClose = () => closed.abort();
  response.once("close", onClose);
  try {
    for await (const chunk of chunks) {
      if (closed.signal.aborted) return;
      if (!response.write(chunk)) {
        await Promise.race([once(response, "drain"), once(closed.signal, "abort")]);
      }
    }
    response.end();
  } finally {
    response.off("close", onClose);
  }
}

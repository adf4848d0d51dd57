import { once } from "node:events";
import type { HttpResponse } from "./http-types.js";

/**
 * Writes chunks of text or bytes as they come, waiting whenever the client reads slower than we
 * produce, and stops pulling chunks, and so reading the store, once the client is gone.
 */
export async function streamResponse(response: HttpResponse, chunks: AsyncIterable<string | Uint8Array>): Promise<void> {
  const closed = new AbortController();
  const onClose = () => closed.abort();
  response.once("close", onClose);
  try {
    for await (const chunk of chunks) {
      if (closed.signal.aborted) return;
      // once() with the signal removes its listeners whichever comes first; racing two once()
      // calls left an abort listener behind for every drain, thousands on a large response.
      if (!response.write(chunk)) {
        await once(response, "drain", { signal: closed.signal }).catch((error: unknown) => {
          if (!closed.signal.aborted) throw error;
        });
      }
    }
    response.end();
  } finally {
    response.off("close", onClose);
  }
}

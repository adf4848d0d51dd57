import { formatTimestamp } from "../readings/timestamp-text.js";
import type { ReadingStore } from "../store/reading-store.js";
import type { HttpResponse } from "./http-types.js";
import { sendJson } from "./send-json.js";

/** GET /api/meters: every meter with its figures, as ListMeters answers them, in proto JSON names. */
export async function serveMeters(store: ReadingStore, response: HttpResponse): Promise<void> {
  const meters = (await store.meters()).map(({ firstTime, lastTime, ...meter }) => ({
    ...meter,
    firstTime: firstTime === undefined ? undefined : formatTimestamp(firstTime),
    lastTime: lastTime === undefined ? undefined : formatTimestamp(lastTime),
  }));
  sendJson(response, 200, { meters });
}

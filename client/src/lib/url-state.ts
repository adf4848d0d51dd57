import type { TimeRange } from "./time-range.js";
import { parseUtcTime, rfc3339 } from "./utc-time.js";

export type Mode = "json" | "grpc-web";

export const defaultMode: Mode = "grpc-web";

/** What the address holds, so that a view can be shared and reloaded. */
export interface ViewState {
  mode: Mode;
  range: TimeRange;
  /** Keep the stream open and add readings as they are stored; only the gRPC-Web stream can. */
  live: boolean;
}

export interface ReadState {
  view: ViewState;
  /** Parts of the address that could not be read and were left out, worded for the page. */
  problems: string[];
}

export function readViewState(search: string): ReadState {
  const query = new URLSearchParams(search);
  const problems: string[] = [];
  const modeText = query.get("mode");
  let mode = defaultMode;
  if (modeText === "json" || modeText === "grpc-web") mode = modeText;
  else if (modeText !== null) problems.push(`The address's mode "${modeText}" is neither "json" nor "grpc-web", so the gRPC-Web stream is used.`);
  const time = (name: "start" | "end"): number | undefined => {
    const text = query.get(name);
    if (text === null || text === "") return undefined;
    const parsed = parseUtcTime(text);
    if (parsed === undefined) problems.push(`The address's ${name} "${text}" is not a time (write e.g. 2019-01-02T00:00:00Z), so it is left open.`);
    return parsed;
  };
  const range = { start: time("start"), end: time("end") };
  const liveText = query.get("live");
  let live = liveText === "1";
  if (liveText !== null && liveText !== "1" && liveText !== "0") {
    problems.push(`The address's live "${liveText}" is neither 1 nor 0, so the page is not live.`);
  } else if (live && mode === "json") {
    problems.push("Live updates come only by the gRPC-Web stream, so the JSON view is not live.");
    live = false;
  }
  return { view: { mode, range, live }, problems };
}

/** The query string for a view; colons stay unescaped, as RFC 3986 allows, so shared addresses stay readable. */
export function viewStateSearch({ mode, range, live }: ViewState): string {
  const parts = [`mode=${mode}`];
  if (range.start !== undefined) parts.push(`start=${rfc3339(range.start)}`);
  if (range.end !== undefined) parts.push(`end=${rfc3339(range.end)}`);
  if (live) parts.push("live=1");
  return `?${parts.join("&")}`;
}

import { isMeterName, maxShownMeters } from "./meter-names.js";
import type { TimeRange } from "./time-range.js";
import { parseUtcTime, rfc3339 } from "./utc-time.js";

export type Mode = "json" | "grpc-web";

export const defaultMode: Mode = "grpc-web";

/** What the address holds, so that a view can be shared and reloaded. */
export interface ViewState {
  /** The meters shown, in the order chosen; none shows the service's default meter. */
  meters: string[];
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
  const meters = readMeters(query.get("meters"), problems);
  const liveText = query.get("live");
  let live = liveText === "1";
  if (liveText !== null && liveText !== "1" && liveText !== "0") {
    problems.push(`The address's live "${liveText}" is neither 1 nor 0, so the page is not live.`);
  } else if (live && mode === "json") {
    problems.push("Live updates come only by the gRPC-Web stream, so the JSON view is not live.");
    live = false;
  }
  return { view: { meters, mode, range, live }, problems };
}

function readMeters(text: string | null, problems: string[]): string[] {
  if (text === null || text === "") return [];
  const names = [...new Set(text.split(","))];
  const invalid = names.filter((name) => !isMeterName(name));
  if (invalid.length > 0) {
    const quoted = invalid.map((name) => `"${name}"`).join(", ");
    const verb = invalid.length === 1 ? "is not a meter name" : "are not meter names";
    problems.push(`The address's meters ${quoted} ${verb} (use letters, digits and ._:-), so the page leaves them out.`);
  }
  const valid = names.filter(isMeterName);
  if (valid.length > maxShownMeters) {
    problems.push(`The address names ${valid.length} meters; the page shows at most ${maxShownMeters}, so the first ${maxShownMeters} are shown.`);
  }
  return valid.slice(0, maxShownMeters);
}

/** The query string for a view; colons stay unescaped, as RFC 3986 allows, so shared addresses stay readable. */
export function viewStateSearch({ meters, mode, range, live }: ViewState): string {
  const parts = [`mode=${mode}`];
  // Meter names are letters, digits and ._:-, none of which needs escaping.
  if (meters.length > 0) parts.push(`meters=${meters.join(",")}`);
  if (range.start !== undefined) parts.push(`start=${rfc3339(range.start)}`);
  if (range.end !== undefined) parts.push(`end=${rfc3339(range.end)}`);
  if (live) parts.push("live=1");
  return `?${parts.join("&")}`;
}

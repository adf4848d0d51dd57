/** A span [start, end) in which a zone's clocks stay `offset` milliseconds ahead of UTC. */
export interface OffsetStretch {
  start: number;
  end: number;
  offset: number;
}

const hour = 3_600_000;

// Sampling must not step over a whole stretch. The shortest in the tz database since 1900 lasted
// 4 days (Africa/Freetown, 1939), since 1970 just under 7 (America/Cambridge_Bay, 2000).
const sampleStep = 72 * hour;

// Stretches are worked out a stretch of time this long at a time and kept: a zone's rules do
// not change while the process runs, and working out a year costs about 180 calls into the
// time zone database, a tenth of what answering a year of days takes otherwise.
const chunk = 366 * 24 * hour;
const chunkStretches = new Map<string, OffsetStretch[]>();
const mostChunks = 10_000;

/** The stretches of constant offset that cover [start, end), oldest first. */
export function offsetStretches(zone: string, start: number, end: number): OffsetStretch[] {
  const stretches: OffsetStretch[] = [];
  for (let chunkStart = Math.floor(start / chunk) * chunk; chunkStart < end; chunkStart += chunk) {
    for (const stretch of stretchesOfChunk(zone, chunkStart)) {
      const clipped = { start: Math.max(stretch.start, start), end: Math.min(stretch.end, end), offset: stretch.offset };
      if (clipped.start >= clipped.end) continue;
      const last = stretches.at(-1);
      if (last !== undefined && last.offset === clipped.offset && last.end === clipped.start) last.end = clipped.end;
      else stretches.push(clipped);
    }
  }
  return stretches;
}

function stretchesOfChunk(zone: string, chunkStart: number): OffsetStretch[] {
  const key = `${zone} ${chunkStart}`;
  let stretches = chunkStretches.get(key);
  if (stretches === undefined) {
    if (chunkStretches.size >= mostChunks) chunkStretches.clear();
    stretches = sampledStretches(zone, chunkStart, chunkStart + chunk);
    chunkStretches.set(key, stretches);
  }
  return stretches;
}

/**
 * The stretches of [start, end), found by sampling the offset every few days and each change
 * by bisection, because asking per hour would cost a year of hours 9,000 calls.
 */
function sampledStretches(zone: string, start: number, end: number): OffsetStretch[] {
  const stretches: OffsetStretch[] = [];
  let stretchStart = start;
  let offset = utcOffset(zone, start);
  let known = start;
  while (known < end - 1) {
    const probe = Math.min(known + sampleStep, end - 1);
    const probeOffset = utcOffset(zone, probe);
    if (probeOffset === offset) {
      known = probe;
      continue;
    }
    let changed = probe;
    let changedOffset = probeOffset;
    while (changed - known > 1) {
      const middle = Math.floor((known + changed) / 2);
      const middleOffset = utcOffset(zone, middle);
      if (middleOffset === offset) known = middle;
      else {
        changed = middle;
        changedOffset = middleOffset;
      }
    }
    stretches.push({ start: stretchStart, end: changed, offset });
    stretchStart = known = changed;
    offset = changedOffset;
  }
  stretches.push({ start: stretchStart, end, offset });
  return stretches;
}

// A formatter takes about 150 µs to make and 2 µs to ask, five times less than luxon's offset(),
// so one is kept per zone name. Names differing only in case are all valid, so the number of
// names is unbounded: the cache is emptied instead of growing without end.
const formatters = new Map<string, Intl.DateTimeFormat>();
const mostFormatters = 1000;

/** How many milliseconds a zone's clocks are ahead of UTC at an instant. */
export function utcOffset(zone: string, time: number): number {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    if (formatters.size >= mostFormatters) formatters.clear();
    formatter = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    formatters.set(zone, formatter);
  }
  return offsetMilliseconds(formatter.format(time));
}

// "GMT" alone is UTC; local mean times before standard time carry seconds, e.g. GMT-00:01:15.
const offsetPattern = /GMT(?:([+-])(\d\d):(\d\d)(?::(\d\d))?)?$/;

function offsetMilliseconds(text: string): number {
  const match = offsetPattern.exec(text);
  if (match === null) throw new Error(`no UTC offset in ${JSON.stringify(text)}`);
  const [, sign, hours = "0", minutes = "0", seconds = "0"] = match;
  const milliseconds = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
  return sign === "-" ? -milliseconds : milliseconds;
}

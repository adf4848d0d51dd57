import { SaxesParser, type SaxesTagPlain } from "saxes";
import { StringDecoder } from "node:string_decoder";
import type { MeterReading } from "../../readings/reading.js";
import type { CsvInput } from "../csv-lines.js";
import { FileFormatError } from "../file-format-error.js";
import type { InputFindings } from "../input-findings.js";
import { meterNameFrom, meterOfUnnamedFile, type InputOptions } from "../input-options.js";
import { scaledValue } from "./exact-decimal.js";
import { decodeDstRule, describeDstRule, describeOffset } from "./dst-rule.js";
import { espiUnits, receivedFlow, storedUomsText, summationBehaviour } from "./espi-units.js";
import { IntervalReadingScanner, type ScannedReading } from "./interval-reading-scanner.js";

const batchSize = 4096;
const integerPattern = /^[+-]?\d+(?:\.\d+)?$/;
/** Longer than any plainly written IntervalReading: text this close to a chunk's end waits for the next chunk. */
const plainReadingLength = 4096;

/** A MeterReading's readings as its IntervalBlocks hold them, before its ReadingType says what they mean. */
interface RawReadings {
  lines: number[];
  /** timePeriod/start in seconds, NaN where a reading has none. */
  starts: number[];
  durations: number[];
  values: string[];
  /** The IntervalBlock's interval/start, from which readings without a timePeriod follow each other. */
  blockStart: number;
}

interface Entry {
  line: number;
  self?: string;
  up?: string;
  related: string[];
  title?: string;
  kind?: string;
  kindLine: number;
  fields: Map<string, { text: string; line: number }>;
  blocks: RawReadings[];
}

interface ReadingType {
  line: number;
  uom: number;
  power: number;
  intervalLength: number;
  flowDirection: number;
}

/** A MeterReading entry, and once its ReadingType and UsagePoint are known, the meter its readings go to. */
interface Channel {
  key: string;
  line: number;
  readingType?: string;
  usagePoint: string;
  meter?: string;
  type?: ReadingType;
  pending: RawReadings[];
}

/**
 * Reads a Green Button ESPI feed (an Atom feed of UsagePoint, MeterReading, ReadingType,
 * IntervalBlock and LocalTimeParameters entries, in the http://naesb.org/espi namespace under
 * any prefix or none) as it streams: each MeterReading becomes a meter, each IntervalReading a
 * reading at its timePeriod/start, valued value x 10^powerOfTenMultiplier exactly (Wh as kWh).
 * Entries may come in any order; IntervalBlocks that come before what they need wait in memory.
 * A DTD is refused before it is read: nothing external is ever fetched, and no entity expanded.
 */
export async function* espiReadings(input: CsvInput, options: InputOptions, findings: InputFindings): AsyncGenerator<MeterReading[]> {
  const parser = new SaxesParser({ position: true, xmlns: false });
  const decoder = new StringDecoder("utf8");
  const readingTypes = new Map<string, ReadingType>();
  const usagePoints = new Map<string, string | undefined>();
  const channels = new Map<string, Channel>();
  const meterNames = new Set<string>();
  let batch: MeterReading[] = [];
  let rootOpened = false;
  let seenFeed = false;

  // Where the parser is: element names without their prefix, the entry, its content, a reading's fields.
  const stack: string[] = [];
  let entry: Entry | undefined;
  let block: RawReadings | undefined;
  let readingLine = 0;
  let readingStart = NaN;
  let readingDuration = NaN;
  let readingValue: string | undefined;
  let capturing: string | undefined;
  let text = "";
  // The scanner for the open IntervalBlock's prefix, and what the parser has been given: where
  // its last tag ended, and whether only whitespace has followed, so that it stands between elements.
  const scanners = new Map<string, IntervalReadingScanner>();
  let scanner: IntervalReadingScanner | undefined;
  let written = 0;
  let tagEnd = -1;
  let clean = false;

  const fail = (line: number, problem: string): never => {
    throw new FileFormatError(line, problem);
  };

  const nameOf = (channel: Channel, type: ReadingType): string => {
    // Numbered per point and direction: a point's first import and first export MeterReadings are NAME and NAME-export.
    const exported = type.flowDirection === receivedFlow;
    const index = [...channels.values()].filter(
      (other) => other.usagePoint === channel.usagePoint && other.meter !== undefined && (other.type?.flowDirection === receivedFlow) === exported,
    ).length;
    if (options.meter !== undefined) {
      if (meterNames.size > 0) {
        fail(channel.line, `the file holds more than one MeterReading, so a meter name given for the file cannot name them all: leave it out, and each is named after its UsagePoint`);
      }
      return options.meter;
    }
    const title = usagePoints.get(channel.usagePoint);
    let base = (title === undefined ? undefined : meterNameFrom(title)) ?? meterOfUnnamedFile(options);
    if (index > 0) base = `${base}-${index + 1}`;
    if (exported) base = `${base}-export`;
    let name = base.slice(0, 128);
    for (let n = 2; meterNames.has(name); n++) name = `${base.slice(0, 120)}-${n}`;
    return name;
  };

  const resolve = (channel: Channel, atEnd: boolean): void => {
    if (channel.meter !== undefined) return;
    if (channel.readingType === undefined) return;
    const type = readingTypes.get(channel.readingType);
    if (type === undefined) {
      if (atEnd) fail(channel.line, `the MeterReading ${channel.key} names the ReadingType ${channel.readingType}, which the file does not hold`);
      return;
    }
    if (!usagePoints.has(channel.usagePoint) && !atEnd) return;
    channel.type = type;
    channel.meter = nameOf(channel, type);
    meterNames.add(channel.meter);
    const unit = espiUnits.find((candidate) => candidate.uom === type.uom)!;
    const title = usagePoints.get(channel.usagePoint);
    findings.sources.push({
      meter: channel.meter,
      unit: unit.unit,
      origin: `UsagePoint ${title === undefined ? channel.usagePoint : JSON.stringify(title)}, ${channel.key}`,
    });
    for (const raw of channel.pending) toReadings(channel, raw);
    channel.pending = [];
  };

  const toReadings = (channel: Channel, raw: RawReadings): void => {
    const type = channel.type!;
    const meter = channel.meter!;
    const power = type.power + espiUnits.find((unit) => unit.uom === type.uom)!.toUnitPower;
    let cursor = raw.blockStart;
    for (let i = 0; i < raw.values.length; i++) {
      const start = Number.isNaN(raw.starts[i]) ? cursor : raw.starts[i];
      if (Number.isNaN(start)) {
        fail(raw.lines[i], "the IntervalReading has no timePeriod/start, and its IntervalBlock no interval/start to count from");
      }
      const duration = Number.isNaN(raw.durations[i]) ? type.intervalLength : raw.durations[i];
      cursor = start + duration;
      const value = scaledValue(raw.values[i], power);
      batch.push({ line: raw.lines[i], meter, time: start * 1000, value });
    }
  };

  const channelOf = (key: string, line: number): Channel => {
    let channel = channels.get(key);
    if (channel === undefined) {
      channel = { key, line, usagePoint: usagePointOf(key), pending: [] };
      channels.set(key, channel);
    }
    return channel;
  };

  const endEntry = (done: Entry): void => {
    const field = (name: string) => done.fields.get(name);
    switch (done.kind) {
      case "UsagePoint": {
        if (done.self === undefined) return;
        const key = resourcePath(done.self, "UsagePoint");
        usagePoints.set(key, done.title);
        for (const channel of channels.values()) if (channel.usagePoint === key) resolve(channel, false);
        return;
      }
      case "MeterReading": {
        if (done.self === undefined) fail(done.kindLine, "the MeterReading's entry has no link rel=\"self\" naming it");
        const channel = channelOf(resourcePath(done.self!, "UsagePoint"), done.kindLine);
        channel.line = done.kindLine;
        const type = done.related.find((href) => /\/ReadingType\//.test(href));
        if (type === undefined) fail(done.kindLine, `the MeterReading ${channel.key} has no link rel="related" to its ReadingType`);
        channel.readingType = resourcePath(type!, "ReadingType");
        resolve(channel, false);
        return;
      }
      case "ReadingType": {
        if (done.self === undefined) fail(done.kindLine, "the ReadingType's entry has no link rel=\"self\" naming it");
        readingTypes.set(resourcePath(done.self!, "ReadingType"), readingTypeOf(done));
        for (const channel of channels.values()) resolve(channel, false);
        return;
      }
      case "IntervalBlock": {
        const href = done.up ?? done.self;
        if (href === undefined || !/\/MeterReading\/[^/]+\/IntervalBlock/.test(href)) {
          fail(done.kindLine, "the IntervalBlock's entry has no link rel=\"up\" or rel=\"self\" naming its MeterReading (…/MeterReading/1/IntervalBlock)");
        }
        const channel = channelOf(resourcePath(href!.slice(0, href!.indexOf("/IntervalBlock")), "UsagePoint"), done.kindLine);
        for (const raw of done.blocks) {
          if (channel.meter !== undefined) toReadings(channel, raw);
          else channel.pending.push(raw);
        }
        return;
      }
      case "LocalTimeParameters":
        findings.notes.push(describeLocalTime(done));
        return;
    }
  };

  const readingTypeOf = (done: Entry): ReadingType => {
    const number = (name: string, required: boolean): number | undefined => {
      const found = done.fields.get(name);
      if (found === undefined) {
        if (required) fail(done.kindLine, `the ReadingType has no <${name}>`);
        return undefined;
      }
      const value = Number(found.text);
      if (!/^[+-]?\d+$/.test(found.text)) fail(found.line, `<${name}> ${JSON.stringify(found.text)} is not a whole number`);
      return value;
    };
    const uom = number("uom", true)!;
    if (!espiUnits.some((unit) => unit.uom === uom)) {
      fail(done.fields.get("uom")!.line, `the ReadingType's <uom> is ${uom}, a unit meterusage does not store: it stores ${storedUomsText}`);
    }
    if (number("accumulationBehaviour", false) === summationBehaviour) {
      fail(
        done.fields.get("accumulationBehaviour")!.line,
        "the ReadingType's <accumulationBehaviour> is 9, a summation register (running totals): meterusage needs interval data, the energy of each interval (accumulationBehaviour 4, deltaData), as the utility's usage download has it",
      );
    }
    return {
      line: done.kindLine,
      uom,
      power: number("powerOfTenMultiplier", false) ?? 0,
      intervalLength: number("intervalLength", false) ?? NaN,
      flowDirection: number("flowDirection", false) ?? 1,
    };
  };

  parser.on("doctype", () => fail(parser.line, "the document declares a DTD (<!DOCTYPE …>): meterusage reads no DTDs and expands no entities, and ESPI feeds need none"));
  parser.on("error", (error) => fail(parser.line, `not well-formed XML: ${error.message.replace(/^[^:]*:\d+:\d+: /, "")}`));
  const newBlock = (into: Entry): RawReadings => {
    block = { lines: [], starts: [], durations: [], values: [], blockStart: NaN };
    into.blocks.push(block);
    return block;
  };

  const scannerFor = (prefix: string): IntervalReadingScanner => {
    let found = scanners.get(prefix);
    if (found === undefined) scanners.set(prefix, (found = new IntervalReadingScanner(prefix)));
    return found;
  };

  parser.on("opentag", (tag: SaxesTagPlain) => {
    tagEnd = parser.position;
    const name = localName(tag.name);
    const parent = stack[stack.length - 1];
    stack.push(name);
    if (!rootOpened) {
      rootOpened = true;
      if (name !== "feed" && name !== "entry") fail(parser.line, `<${tag.name}> is not an Atom feed: a Green Button ESPI file is a <feed> of <entry> elements`);
      seenFeed = true;
    }
    switch (name) {
      case "entry":
        entry = { line: parser.line, related: [], kindLine: parser.line, fields: new Map(), blocks: [] };
        return;
      case "link": {
        if (entry === undefined || parent !== "entry") return;
        const { rel, href } = tag.attributes;
        if (href === undefined) return;
        if (rel === "self") entry.self = href;
        else if (rel === "up") entry.up = href;
        else if (rel === "related") entry.related.push(href);
        return;
      }
      case "UsagePoint":
      case "MeterReading":
      case "ReadingType":
      case "IntervalBlock":
      case "LocalTimeParameters":
        if (entry !== undefined && parent === "content") {
          entry.kind = name;
          entry.kindLine = parser.line;
          if (name === "IntervalBlock") scanner = scannerFor(tag.name.slice(0, tag.name.length - name.length));
        }
        return;
      case "interval":
        if (entry?.kind === "IntervalBlock" && parent === "IntervalBlock") newBlock(entry);
        return;
      case "IntervalReading":
        if (entry?.kind !== "IntervalBlock") return;
        if (block === undefined) newBlock(entry);
        readingLine = parser.line;
        readingStart = readingDuration = NaN;
        readingValue = undefined;
        return;
      default:
        if (entry !== undefined) {
          capturing = name;
          text = "";
        }
    }
  });
  parser.on("text", (chunk) => {
    if (capturing !== undefined) text += chunk;
  });
  parser.on("cdata", (chunk) => {
    if (capturing !== undefined) text += chunk;
  });
  parser.on("closetag", () => {
    tagEnd = parser.position;
    const name = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (capturing === name) {
      capturing = undefined;
      captured(name, parent, text.trim());
      return;
    }
    if (name === "IntervalReading" && entry?.kind === "IntervalBlock" && block !== undefined) {
      if (readingValue === undefined) fail(readingLine, "the IntervalReading has no <value>");
      block.lines.push(readingLine);
      block.starts.push(readingStart);
      block.durations.push(readingDuration);
      block.values.push(readingValue!);
    } else if (name === "IntervalBlock" && entry?.kind === "IntervalBlock") {
      block = undefined;
      scanner = undefined;
    } else if (name === "entry" && entry !== undefined) {
      endEntry(entry);
      entry = undefined;
      block = undefined;
      scanner = undefined;
    }
  });

  const captured = (name: string, parent: string | undefined, value: string): void => {
    const line = parser.line;
    if (parent === "timePeriod") {
      if (name === "start") readingStart = seconds(value, line, "timePeriod/start");
      else if (name === "duration") readingDuration = seconds(value, line, "timePeriod/duration");
    } else if (parent === "interval" && block !== undefined) {
      if (name === "start") block.blockStart = seconds(value, line, "interval/start");
    } else if (parent === "IntervalReading" && name === "value") {
      if (!integerPattern.test(value)) fail(line, `the IntervalReading's <value> ${JSON.stringify(value.slice(0, 40))} is not a number`);
      readingValue = value;
    } else if (parent === "entry" && name === "title") {
      entry!.title = value;
    } else if (parent === "ReadingType" || parent === "LocalTimeParameters") {
      entry!.fields.set(name, { text: value, line });
    }
  };

  const give = (piece: string): void => {
    if (piece === "") return;
    const from = written;
    parser.write(piece);
    written += piece.length;
    if (tagEnd >= from) clean = isBlank(piece, tagEnd - from);
    else if (clean) clean = isBlank(piece, 0);
  };

  const scanned: ScannedReading = (line, start, duration, value) => {
    const into = block ?? newBlock(entry!);
    into.lines.push(line);
    into.starts.push(start);
    into.durations.push(duration);
    into.values.push(value);
  };

  /** Whether the parser stands between two elements of an IntervalBlock, where the scanner may read readings in its place. */
  const betweenReadings = (): boolean =>
    scanner !== undefined && clean && capturing === undefined && entry?.kind === "IntervalBlock" && stack[stack.length - 1] === "IntervalBlock";

  /**
   * Gives the parser the text, but for the runs of plainly written IntervalReadings inside an
   * IntervalBlock, which the scanner reads: the parser gets their line breaks instead, so its
   * lines stay the file's. Answers the text kept back for the next chunk: a reading cut off.
   */
  const feed = (pending: string, final: boolean): string => {
    let from = 0;
    for (let at = pending.indexOf("IntervalReading>", from); at !== -1; at = pending.indexOf("IntervalReading>", from)) {
      const open = pending.lastIndexOf("<", at);
      if (open < from) {
        give(pending.slice(from, at));
        from = at;
      } else {
        give(pending.slice(from, open));
        from = open;
        if (betweenReadings() && pending.startsWith(scanner!.openTag, open)) {
          const { end, lineBreaks } = scanner!.scan(pending, open, parser.line, scanned);
          if (end > open) {
            give("\n".repeat(lineBreaks));
            from = end;
            continue;
          }
          if (!final && pending.length - open < plainReadingLength) return pending.slice(open);
        }
      }
      give(pending.slice(from, at + "IntervalReading>".length));
      from = at + "IntervalReading>".length;
    }
    // A reading's open tag may be cut off at the end: once inside the feed, keep a short tail from its last "<".
    const last = pending.lastIndexOf("<");
    const keep = !final && rootOpened && last >= from && pending.length - last < plainReadingLength ? last : pending.length;
    give(pending.slice(from, keep));
    return pending.slice(keep);
  };

  let tail = "";
  let kept = "";
  for await (const chunk of input) {
    const piece = typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (!rootOpened) refuseDoctype(tail + piece, parser.line);
    tail = piece.slice(-16);
    kept = feed(kept + piece, false);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  feed(kept + decoder.end(), true);
  parser.close();
  if (!seenFeed) fail(1, "the file holds no XML elements");
  for (const channel of channels.values()) resolve(channel, true);
  for (const channel of channels.values()) {
    if (channel.meter === undefined) fail(channel.line, `the IntervalBlocks of ${channel.key} have no MeterReading entry naming their ReadingType`);
  }
  if (batch.length > 0) yield batch;

  function seconds(value: string, line: number, what: string): number {
    if (!/^[+-]?\d+$/.test(value)) fail(line, `<${what}> ${JSON.stringify(value.slice(0, 40))} is not a whole number of seconds`);
    return Number(value);
  }
}

/** A DOCTYPE is refused before the parser reads it, however large: it could hold an entity bomb or point at a local file. */
function refuseDoctype(text: string, line: number): void {
  const at = text.indexOf("<!DOCTYPE");
  if (at === -1) return;
  const before = text.slice(0, at);
  const lineOfDoctype = line + (before.match(/\n/g)?.length ?? 0);
  const declaration = text.slice(at, at + 60).split(/[[>\n]/)[0].trim();
  throw new FileFormatError(lineOfDoctype, `the document declares a DTD (${declaration} …): meterusage reads no DTDs and expands no entities, and ESPI feeds need none`);
}

/** Whether text[from…] is whitespace, a \r only before a \n (a lone \r is a line break the parser may still be holding). */
function isBlank(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 32 || code === 10 || code === 9) continue;
    if (code === 13 && text.charCodeAt(i + 1) === 10) continue;
    return false;
  }
  return true;
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/** `UsagePoint/1/MeterReading/1` from `https://utility.example/espi/1_1/resource/Subscription/5/UsagePoint/1/MeterReading/1`. */
function resourcePath(href: string, from: string): string {
  const at = href.lastIndexOf(`/${from}/`);
  const path = at === -1 ? href : href.slice(at + 1);
  return path.replace(/\/+$/, "");
}

function usagePointOf(meterReading: string): string {
  const at = meterReading.indexOf("/MeterReading/");
  return at === -1 ? meterReading : meterReading.slice(0, at);
}

function describeLocalTime(entry: Entry): string {
  const get = (name: string) => entry.fields.get(name)?.text;
  const tzOffset = Number(get("tzOffset"));
  const dstOffset = Number(get("dstOffset") ?? 0);
  const start = decodeDstRule(get("dstStartRule") ?? "");
  const end = decodeDstRule(get("dstEndRule") ?? "");
  const standard = Number.isFinite(tzOffset) ? `standard time ${describeOffset(tzOffset)}` : `tzOffset ${JSON.stringify(get("tzOffset"))}`;
  const daylight =
    dstOffset !== 0 && start !== undefined && end !== undefined
      ? `, ${dstOffset / 3600} h ahead from ${describeDstRule(start)} (${get("dstStartRule")}) to ${describeDstRule(end)} (${get("dstEndRule")})`
      : ", no daylight saving time";
  return `LocalTimeParameters (line ${entry.kindLine}): ${standard}${daylight}. The meters' zone is set only by the time zone given with the import, not guessed from these.`;
}

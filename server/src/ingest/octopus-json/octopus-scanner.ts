import { FileFormatError } from "../file-format-error.js";

/** Where a result stands, for a message: `the page results[3]`. */
export interface ResultPlace {
  page: string;
  index: number;
}

/** What the scanner hands on: each result of each page, in the order of the file. The place is the scanner's, changed after the call. */
export interface ResultSink {
  /** A result written as the API writes it: consumption as the JSON number's text (or null) and interval_start's characters. */
  plain(line: number, consumption: string | null, start: string, place: ResultPlace): void;
  /** A result written any other way, as JSON.parse reads it. */
  parsed(line: number, result: unknown, place: ResultPlace): void;
}

/**
 * A result as the API writes it, `{"consumption":0.063,"interval_start":"…","interval_end":"…"}`,
 * with any JSON whitespace between its parts (pretty-printed pages) and strings without escapes
 * or control characters. Such a result means the same to JSON.parse, so it is read from this
 * match alone; any other result is found whole and handed to JSON.parse.
 */
const plainResult =
  /\{[ \t\n\r]*"consumption"[ \t\n\r]*:[ \t\n\r]*(null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)[ \t\n\r]*,[ \t\n\r]*"interval_start"[ \t\n\r]*:[ \t\n\r]*"([^"\\\x00-\x1f]*)"[ \t\n\r]*,[ \t\n\r]*"interval_end"[ \t\n\r]*:[ \t\n\r]*"[^"\\\x00-\x1f]*"[ \t\n\r]*\}/y;

// Where a frame stands: at an opening bracket, after a comma, after a value; a page also after a key.
const opened = 0;
const afterComma = 1;
const afterValue = 2;
const afterKey = 3;
const afterColon = 4;

interface TopFrame {
  kind: "top";
}

interface PagesFrame {
  kind: "pages";
  state: number;
  count: number;
  /** What follows "page N of the array" in a name: "" for the file's first value, else where the array starts. */
  suffix: string;
}

interface PageFrame {
  kind: "page";
  state: number;
  name: string;
  line: number;
  key: string;
  results: "none" | "list" | "other";
}

interface ResultsFrame {
  kind: "results";
  state: number;
  place: ResultPlace;
}

type Frame = TopFrame | PagesFrame | PageFrame | ResultsFrame;

/** Where valueEnd stopped in a value cut off by the end of the text so far, to go on from there. */
interface ValueScan {
  start: number;
  at: number;
  depth: number;
  inString: boolean;
  escaped: boolean;
}

/**
 * Reads Octopus consumption pages as their text arrives, holding only the piece not yet read:
 * one page, a JSON array of pages, or pages one after another (JSON lines). Every result of
 * every page goes to the sink with the line its interval_start key is on, or its own line when
 * it has none. Anything else in a page (count, next, …) is checked as JSON and passed over.
 * Names in messages: `the page` and `page 2 of the array` in the file's first value, then with
 * the line the value starts on (`the page on line 3`).
 */
export class OctopusScanner {
  private text = "";
  private at = 0;
  private readonly stack: Frame[] = [{ kind: "top" }];
  private topValues = 0;
  private started = false;
  // Line counting: `line` is the line of the last position asked for; `nextNewline` the first "\n" after it, or -1 when the text holds none.
  private line = 1;
  private nextNewline = -1;
  private scan: ValueScan | undefined;

  constructor(private readonly sink: ResultSink) {}

  push(piece: string): void {
    if (!this.started) {
      this.started = true;
      if (piece.charCodeAt(0) === 0xfeff) piece = piece.slice(1);
    }
    const at = this.at;
    this.lineAt(at);
    const kept = this.text.length - at;
    this.text = at === 0 ? this.text + piece : this.text.slice(at) + piece;
    this.at = 0;
    this.nextNewline = this.nextNewline === -1 ? this.text.indexOf("\n", kept) : this.nextNewline - at;
    if (this.scan !== undefined) {
      this.scan.start -= at;
      this.scan.at -= at;
    }
    this.run(false);
  }

  /** The text has ended: what is cut off is refused. */
  end(): void {
    this.run(true);
    const frame = this.stack[this.stack.length - 1];
    if (frame.kind !== "top") {
      const inside = frame.kind === "pages" ? "the array of pages" : frame.kind === "page" ? frame.name : `the results of ${frame.place.page}`;
      throw new FileFormatError(this.lineAt(this.text.length), `not JSON: the file ends inside ${inside}`);
    }
  }

  private run(final: boolean): void {
    const text = this.text;
    for (;;) {
      let at = this.at;
      for (let c = text.charCodeAt(at); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++at));
      this.at = at;
      if (at >= text.length) return;
      const frame = this.stack[this.stack.length - 1];
      const c = text.charCodeAt(at);
      let done: boolean;
      switch (frame.kind) {
        case "top":
          done = this.topValue(c, final);
          break;
        case "pages":
          done = this.inPages(frame, c, final);
          break;
        case "page":
          done = this.inPage(frame, c, final);
          break;
        case "results":
          done = this.inResults(frame, c, final);
          break;
      }
      if (!done) return;
    }
  }

  /** A value of the file itself: a page, or an array of pages. False while it is cut off. */
  private topValue(c: number, final: boolean): boolean {
    const first = this.topValues++ === 0;
    const line = this.lineAt(this.at);
    if (c === 0x7b) {
      this.openPage(first ? "the page" : `the page on line ${line}`, line);
    } else if (c === 0x5b) {
      this.at++;
      this.stack.push({ kind: "pages", state: opened, count: 0, suffix: first ? "" : ` on line ${line}` });
    } else {
      this.topValues--;
      if (this.parsedValue(final) === undefined) return false;
      this.notAPage(first ? "the page" : `the page on line ${line}`, line);
    }
    return true;
  }

  private inPages(frame: PagesFrame, c: number, final: boolean): boolean {
    if (this.arrayPunctuation(frame, c, "a page")) return true;
    const line = this.lineAt(this.at);
    const name = `page ${frame.count + 1} of the array${frame.suffix}`;
    if (c !== 0x7b) {
      if (this.parsedValue(final) === undefined) return false;
      this.notAPage(name, line);
    }
    frame.count++;
    frame.state = afterValue;
    this.openPage(name, line);
    return true;
  }

  private inPage(frame: PageFrame, c: number, final: boolean): boolean {
    switch (frame.state) {
      case opened:
      case afterComma: {
        if (c === 0x7d && frame.state === opened) return this.closePage(frame);
        if (c !== 0x22) this.unexpected(frame.state === opened ? 'a key or "}"' : "a key");
        const key = this.parsedValue(final);
        if (key === undefined) return false;
        frame.key = key.value as string;
        frame.state = afterKey;
        return true;
      }
      case afterKey:
        if (c !== 0x3a) this.unexpected('":" after a key');
        this.at++;
        frame.state = afterColon;
        return true;
      case afterColon: {
        const isResults = frame.key === "results";
        if (isResults && frame.results !== "none") throw new FileFormatError(this.lineAt(this.at), `${frame.name} has \`results\` twice`);
        if (isResults && c === 0x5b) {
          this.at++;
          frame.results = "list";
          frame.state = afterValue;
          this.stack.push({ kind: "results", state: opened, place: { page: frame.name, index: 0 } });
          return true;
        }
        if (this.parsedValue(final) === undefined) return false;
        if (isResults) frame.results = "other";
        frame.state = afterValue;
        return true;
      }
      default:
        if (c === 0x7d) return this.closePage(frame);
        if (c !== 0x2c) this.unexpected('"," or "}" after a value');
        this.at++;
        frame.state = afterComma;
        return true;
    }
  }

  private inResults(frame: ResultsFrame, c: number, final: boolean): boolean {
    if (this.arrayPunctuation(frame, c, "a result")) return true;
    const text = this.text;
    const start = this.at;
    plainResult.lastIndex = start;
    const match = plainResult.exec(text);
    if (match !== null) {
      this.at = plainResult.lastIndex;
      this.sink.plain(this.lineAt(text.indexOf('"interval_start"', start)), match[1] === "null" ? null : match[1], match[2], frame.place);
    } else {
      const parsed = this.parsedValue(final);
      if (parsed === undefined) return false;
      const key = text.indexOf('"interval_start"', start);
      this.sink.parsed(this.lineAt(key !== -1 && key < this.at ? key : start), parsed.value, frame.place);
    }
    frame.place.index++;
    frame.state = afterValue;
    return true;
  }

  /** In an array of pages or results, the comma after an element or the closing bracket: true when c was one of them. */
  private arrayPunctuation(frame: PagesFrame | ResultsFrame, c: number, element: string): boolean {
    if (frame.state === afterValue) {
      if (c === 0x2c) frame.state = afterComma;
      else if (c === 0x5d) this.stack.pop();
      else this.unexpected(`"," or "]" after ${element}`);
    } else if (c === 0x5d && frame.state === opened) {
      this.stack.pop();
    } else {
      return false;
    }
    this.at++;
    return true;
  }

  private openPage(name: string, line: number): void {
    this.at++;
    this.stack.push({ kind: "page", state: opened, name, line, key: "", results: "none" });
  }

  private closePage(frame: PageFrame): boolean {
    if (frame.results !== "list") {
      throw new FileFormatError(frame.line, `${frame.name} has no \`results\` list: an Octopus consumption page is {"count":…,"results":[{"consumption":…,"interval_start":…},…]}`);
    }
    this.at++;
    this.stack.pop();
    return true;
  }

  private notAPage(name: string, line: number): never {
    throw new FileFormatError(line, `${name} is not an Octopus consumption page: expected an object {"results":[…]}`);
  }

  private unexpected(expected: string): never {
    const found = this.text.slice(this.at, this.at + 1);
    throw new FileFormatError(this.lineAt(this.at), `not JSON: expected ${expected}, found ${JSON.stringify(found)}`);
  }

  /** The JSON value at the current position, read whole by JSON.parse and passed over; undefined while it is cut off by the end of the text so far. */
  private parsedValue(final: boolean): { value: unknown } | undefined {
    const start = this.at;
    const end = this.valueEnd(start, final);
    if (end === -1) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(this.text.slice(start, end));
    } catch (error) {
      throw new FileFormatError(this.lineAt(start), `not JSON: ${(error as Error).message}`);
    }
    this.at = end;
    return { value };
  }

  /**
   * Where the value starting at `start` ends, found by its brackets and strings (JSON.parse
   * then judges it), or -1 when the text so far ends inside it; the next call goes on from
   * where this one stopped, so a long value is scanned once however many pieces it comes in.
   */
  private valueEnd(start: number, final: boolean): number {
    const text = this.text;
    const first = text.charCodeAt(start);
    if (first !== 0x7b && first !== 0x5b && first !== 0x22) {
      let end = start;
      while (end < text.length && isScalarCharacter(text.charCodeAt(end))) end++;
      if (end === start) return start + 1;
      if (end < text.length || final) return end;
      return -1;
    }
    let { at, depth, inString, escaped } = this.scan?.start === start ? this.scan : { at: start, depth: 0, inString: false, escaped: false };
    this.scan = undefined;
    for (; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) {
          inString = false;
          if (depth === 0) return at + 1;
        }
      } else if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) return at + 1;
    }
    if (final) return text.length;
    this.scan = { start, at, depth, inString, escaped };
    return -1;
  }

  /** The line of position `at`, which is never before one asked for earlier. */
  private lineAt(at: number): number {
    let next = this.nextNewline;
    let line = this.line;
    while (next !== -1 && next < at) {
      line++;
      next = this.text.indexOf("\n", next + 1);
    }
    this.line = line;
    this.nextNewline = next;
    return line;
  }
}

/** Whether c may be part of a number or of true, false and null. */
function isScalarCharacter(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2b || c === 0x2d || c === 0x2e;
}

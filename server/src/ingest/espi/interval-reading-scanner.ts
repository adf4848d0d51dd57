/** Whitespace between elements as the scanner takes it: a lone \r (a line break to XML) is left to the XML parser. */
const between = String.raw`(?:[ \t\n]|\r\n)*`;

/** A reading the scanner read: its line, timePeriod start and duration in seconds (NaN without a timePeriod), and value as written. */
export type ScannedReading = (line: number, start: number, duration: number, value: string) => void;

/**
 * Reads the IntervalReadings of an IntervalBlock that are written plainly, as utilities and
 * meterusage's export write them, far faster than an XML parser: `<IntervalReading>`, an
 * optional `<timePeriod><duration>900</duration><start>1767243600</start></timePeriod>` and
 * `<value>819</value>`, with only whitespace between the elements and no attributes, comments,
 * entities or other elements. It stops at the first reading written any other way, which the
 * XML parser then reads, so every reading it takes is one the parser would take alike.
 */
export class IntervalReadingScanner {
  /** The open tag a run starts with. */
  readonly openTag: string;
  private readonly reading: RegExp;

  /** `prefix` is the IntervalBlock's, such as `espi:`, or "" for the default namespace. */
  constructor(prefix: string) {
    const p = prefix.replace(/[.\\]/g, "\\$&");
    this.openTag = `<${prefix}IntervalReading>`;
    this.reading = new RegExp(
      `<${p}IntervalReading>${between}` +
        `(?:<${p}timePeriod>${between}<${p}duration>([+-]?\\d+)</${p}duration>${between}<${p}start>([+-]?\\d+)</${p}start>${between}</${p}timePeriod>${between})?` +
        `<${p}value>([+-]?\\d+(?:\\.\\d+)?)</${p}value>${between}</${p}IntervalReading>${between}`,
      "y",
    );
  }

  /**
   * Reads the plain readings that follow each other from text[at], where the XML parser stands
   * between two elements on `line`, and answers where the run ends and how many line breaks it
   * held. A reading cut off by the end of the text ends the run.
   */
  scan(text: string, at: number, line: number, onReading: ScannedReading): { end: number; lineBreaks: number } {
    const reading = this.reading;
    let end = at;
    let lineBreaks = 0;
    reading.lastIndex = at;
    for (let match = reading.exec(text); match !== null; match = reading.exec(text)) {
      const [, duration, start, value] = match;
      onReading(line + lineBreaks, start === undefined ? NaN : Number(start), duration === undefined ? NaN : Number(duration), value);
      for (let newline = text.indexOf("\n", end); newline !== -1 && newline < reading.lastIndex; newline = text.indexOf("\n", newline + 1)) lineBreaks++;
      end = reading.lastIndex;
    }
    return { end, lineBreaks };
  }
}

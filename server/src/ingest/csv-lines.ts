import { StringDecoder } from "node:string_decoder";
import { CsvFormatError } from "./csv-format-error.js";

/** A valid reading line is about 30 characters; anything this long is not a reading. */
export const maxLineLength = 4096;

/** A file stream, a request body, or text already in memory. */
export type CsvInput = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/** Consecutive lines of the input; the first is line number `first`, counting from 1. */
export interface NumberedLines {
  first: number;
  lines: string[];
}

/**
 * Splits a byte stream into lines without holding more than one chunk in memory, handing
 * over every line a chunk completes at once: a step per line costs more than reading it.
 * Accepts LF and CRLF endings and drops a UTF-8 byte order mark.
 */
export async function* csvLines(input: CsvInput): AsyncGenerator<NumberedLines> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let number = 0;
  let first = true;
  for await (const chunk of input) {
    let text = pending + (typeof chunk === "string" ? chunk : decoder.write(chunk));
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const lines: string[] = [];
    let start = 0;
    for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", start)) {
      lines.push(withoutCarriageReturn(text.slice(start, newline)));
      start = newline + 1;
    }
    if (lines.length > 0) yield { first: number + 1, lines };
    number += lines.length;
    pending = text.slice(start);
    if (pending.length > maxLineLength) {
      throw new CsvFormatError(number + 1, `line is longer than ${maxLineLength} characters`);
    }
  }
  pending += decoder.end();
  if (pending.length > 0) yield { first: number + 1, lines: [withoutCarriageReturn(pending)] };
}

function withoutCarriageReturn(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/**
 * RFC 4180 fields: a field in double quotes may hold the separator, line breaks and doubled
 * quotes. The separator is `,`, or `;` in the European spreadsheet dialect (whose numbers
 * have a decimal comma).
 */
export type CsvSeparator = "," | ";";

const quoteCode = 34;

/** `;` when the header line holds one outside quotes (no meter name or column of today's files can), else `,`. */
export function separatorOf(header: string): CsvSeparator {
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const code = header.charCodeAt(i);
    if (code === quoteCode) quoted = !quoted;
    else if (!quoted && header[i] === ";") return ";";
  }
  return ",";
}

/** Whether a row's quotes are all closed; a row with an open quote goes on on the next line. */
export function quotesClosed(text: string): boolean {
  let count = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) count++;
  return count % 2 === 0;
}

/** The fields of a row (which may span lines), unquoted; spaces around a quoted field are dropped. */
export function splitFields(text: string, separator: CsvSeparator = ","): string[] {
  if (!text.includes('"')) return text.split(separator);
  const fields: string[] = [];
  let at = 0;
  for (;;) {
    let start = at;
    while (text[start] === " " || text[start] === "\t") start++;
    if (text.charCodeAt(start) === quoteCode) {
      let value = "";
      let from = start + 1;
      for (;;) {
        const close = text.indexOf('"', from);
        if (close === -1) {
          value += text.slice(from);
          at = text.length;
          break;
        }
        value += text.slice(from, close);
        if (text.charCodeAt(close + 1) === quoteCode) {
          value += '"';
          from = close + 2;
          continue;
        }
        at = close + 1;
        break;
      }
      const next = text.indexOf(separator, at);
      fields.push(value + (next === -1 ? text.slice(at) : text.slice(at, next)).trim());
      if (next === -1) return fields;
      at = next + 1;
    } else {
      const next = text.indexOf(separator, at);
      if (next === -1) {
        fields.push(text.slice(at));
        return fields;
      }
      fields.push(text.slice(at, next));
      at = next + 1;
    }
  }
}

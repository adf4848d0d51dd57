import { CsvFormatError } from "./csv-format-error.js";
import { FileFormatError } from "./file-format-error.js";
import { IngestError } from "./ingest-error.js";

/**
 * What a worker's error must keep to mean the same on the main thread: a structured clone
 * of an Error keeps its message but drops its class and fields such as a CsvFormatError's
 * line, an IngestError's class or a file error's path, which callers and the CLI's messages depend on.
 */
export interface ErrorFields {
  name: string;
  message: string;
  stack?: string;
  line?: number;
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
}

export function errorFields(error: unknown): ErrorFields {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const { name, message, stack } = error;
  const { line, code, errno, syscall, path } = error as Error & Omit<ErrorFields, "name" | "message" | "stack">;
  return { name, message, stack, line, code, errno, syscall, path };
}

export function rebuiltError(fields: ErrorFields): Error {
  if ((fields.name === "CsvFormatError" || fields.name === "FileFormatError") && fields.line !== undefined) {
    const problem = fields.message.slice(`line ${fields.line}: `.length);
    return fields.name === "CsvFormatError" ? new CsvFormatError(fields.line, problem) : new FileFormatError(fields.line, problem);
  }
  if (fields.name === "IngestError") return new IngestError(fields.message);
  const { name, message, stack, line: _, ...rest } = fields;
  const error = Object.assign(new Error(message), definedOnly(rest));
  error.name = name;
  if (stack !== undefined) error.stack = stack;
  return error;
}

function definedOnly<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<T>;
}

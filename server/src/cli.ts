#!/usr/bin/env node
import { exportCommand, exportUsage } from "./cli/export-command.js";
import { importCommand, importUsage } from "./cli/import-command.js";
import { metersCommand, metersUsage } from "./cli/meters-command.js";
import { serveCommand, serveUsage } from "./cli/serve-command.js";
import { tokensCommand, tokensUsage } from "./cli/tokens-command.js";
import { UsageError } from "./cli/usage-error.js";
import { CsvFormatError } from "./ingest/csv-format-error.js";
import { TlsFileError } from "./listener/tls-file-error.js";
import { DuplicateTimeError } from "./store/duplicate-time-error.js";
import { StoreOpenError } from "./store/store-open-error.js";
import { UnknownMeterError } from "./meters/unknown-meter-error.js";
import { TokensFileError } from "./access/tokens-file.js";

const usage = `Usage: meterusage <command> [options]

Commands:
  serve              serve the stored readings over gRPC, gRPC-Web, Connect and JSON
  import FILE.csv    store the readings of a CSV file
  export             write stored readings to stdout as CSV
  meters             list the meters of a store with their figures
  tokens add         add a named token to a tokens file (serve --tokens)

Run meterusage <command> --help for a command's options.`;

const commands: Record<string, { run: (args: string[]) => Promise<void>; usage: string }> = {
  serve: { run: serveCommand, usage: serveUsage },
  import: { run: importCommand, usage: importUsage },
  export: { run: exportCommand, usage: exportUsage },
  meters: { run: metersCommand, usage: metersUsage },
  tokens: { run: tokensCommand, usage: tokensUsage },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(usage);
    return 0;
  }
  const command = commands[name];
  if (command === undefined) {
    console.error(`meterusage: unknown command ${JSON.stringify(name)}\n\n${usage}`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  try {
    await command.run(args);
    return 0;
  } catch (error) {
    return report(error, command.usage);
  }
}

function report(error: unknown, commandUsage: string): number {
  if (error instanceof UsageError || isParseArgsError(error)) {
    console.error(`meterusage: ${(error as Error).message}\n\n${commandUsage}`);
    return 2;
  }
  if (error instanceof StoreOpenError || error instanceof UnknownMeterError || error instanceof TlsFileError || error instanceof TokensFileError) {
    console.error(`meterusage: ${error.message}`);
    return 1;
  }
  if (error instanceof CsvFormatError || error instanceof DuplicateTimeError) {
    console.error(`meterusage: nothing was stored: ${error.message}`);
    return 1;
  }
  if (isFileError(error)) {
    const reason = /^E[A-Z]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
    console.error(`meterusage: cannot read ${error.path}: ${reason}`);
    return 1;
  }
  throw error;
}

function isFileError(error: unknown): error is NodeJS.ErrnoException & { path: string } {
  return error instanceof Error && "path" in error && typeof error.path === "string";
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS");
}

process.exitCode = await main(process.argv.slice(2));

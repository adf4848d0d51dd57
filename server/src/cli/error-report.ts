import { TokensFileError } from "../access/tokens-file.js";
import { EspiExportError } from "../ingest/espi/espi-export-error.js";
import { FileFormatError } from "../ingest/file-format-error.js";
import { IngestError } from "../ingest/ingest-error.js";
import { TlsFileError } from "../listener/tls-file-error.js";
import { InvalidMeterNameError } from "../meters/meter-name.js";
import { MqttConfigError } from "../mqtt/mqtt-map.js";
import { UnknownMeterError } from "../meters/unknown-meter-error.js";
import { DuplicateTimeError } from "../store/duplicate-time-error.js";
import { StoreOpenError } from "../store/store-open-error.js";
import { InvalidTariffError } from "../tariffs/invalid-tariff-error.js";
import { UnknownTariffError } from "../tariffs/unknown-tariff-error.js";
import { InvalidUsageError } from "../usage/invalid-usage-error.js";
import { UsageError } from "./usage-error.js";

/**
 * Tells the user what went wrong in one line and returns the exit code: 2 for a mistake in
 * the command line, shown with the command's usage, 1 for anything else the user can fix.
 * Anything else is a bug, rethrown for its stack trace.
 */
export function report(error: unknown, commandUsage: string): number {
  if (error instanceof UsageError || error instanceof InvalidMeterNameError || error instanceof InvalidUsageError || isParseArgsError(error)) {
    console.error(`meterusage: ${(error as Error).message}\n\n${commandUsage}`);
    return 2;
  }
  if (
    error instanceof StoreOpenError ||
    error instanceof UnknownMeterError ||
    error instanceof TlsFileError ||
    error instanceof TokensFileError ||
    error instanceof MqttConfigError ||
    error instanceof EspiExportError ||
    error instanceof UnknownTariffError
  ) {
    console.error(`meterusage: ${error.message}`);
    return 1;
  }
  if (error instanceof FileFormatError || error instanceof DuplicateTimeError || error instanceof IngestError || error instanceof InvalidTariffError) {
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

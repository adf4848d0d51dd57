import { pino, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

/**
 * JSON lines for machines; on a terminal, the same entries made readable. pino-pretty runs
 * as a stream in this thread so that nothing is lost when the process exits.
 */
export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const level = options.level ?? "info";
  const readable = options.pretty ?? process.stdout.isTTY === true;
  return readable ? pino({ level }, pretty({ colorize: true, ignore: "pid,hostname" })) : pino({ level });
}

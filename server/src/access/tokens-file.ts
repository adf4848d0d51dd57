import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isMeterName } from "../meters/meter-name.js";

/**
 * One token of a tokens file: `{"name":"alice","sha256":"<hex>","read":["flat-1"],"ingest":[],"metrics":false,"tariffs":false}`.
 * Only the secret's SHA-256 is stored; "*" in a list means every meter.
 */
export interface TokenEntry {
  name: string;
  /** Lower-case hex. */
  sha256: string;
  read: string[];
  ingest: string[];
  metrics: boolean;
  /** May store tariffs and prices; absent is false. */
  tariffs?: boolean;
}

export const everyMeter = "*";

/** Why a tokens file cannot be used, naming the file; never quotes a hash. */
export class TokensFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`the tokens file ${file}: ${problem}`);
    this.name = "TokensFileError";
  }
}

export function secretHash(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export async function readTokensFile(file: string): Promise<TokenEntry[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new TokensFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseTokens(text, file);
}

/** The tokens of a file's text, every entry checked; the first problem found throws. */
export function parseTokens(text: string, file: string): TokenEntry[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message may quote the text, hashes included; only its position is kept.
    const position = /at position \d+/.exec((error as Error).message)?.[0];
    throw new TokensFileError(file, `is not JSON${position ? ` (${position})` : ""}`);
  }
  const tokens = (document as { tokens?: unknown } | null)?.tokens;
  if (!isRecord(document) || !Array.isArray(tokens)) throw new TokensFileError(file, 'is not {"tokens":[...]}');
  const entries = tokens.map((token, index) => tokenEntry(token, `tokens[${index}]`, file));
  entries.forEach((entry, index) => {
    const earlier = entries.findIndex((other) => other.name === entry.name || other.sha256 === entry.sha256);
    if (earlier === index) return;
    const same = entries[earlier].name === entry.name ? `.name ${JSON.stringify(entry.name)}` : ".sha256";
    throw new TokensFileError(file, `tokens[${index}]${same} is the same as tokens[${earlier}]'s`);
  });
  return entries;
}

export function tokensFileText(entries: TokenEntry[]): string {
  return `${JSON.stringify({ tokens: entries }, null, 2)}\n`;
}

function tokenEntry(token: unknown, where: string, file: string): TokenEntry {
  const problem = (text: string) => new TokensFileError(file, `${where}${text}`);
  if (!isRecord(token)) throw problem(" is not an object");
  const { name, sha256, read = [], ingest = [], metrics = false, tariffs = false } = token;
  if (typeof name !== "string" || !isTokenName(name)) throw problem(".name is not 1 to 64 letters, digits or ._@-");
  if (typeof sha256 !== "string" || !/^[0-9a-fA-F]{64}$/.test(sha256)) throw problem(".sha256 is not 64 hex digits");
  if (typeof metrics !== "boolean") throw problem(".metrics is neither true nor false");
  if (typeof tariffs !== "boolean") throw problem(".tariffs is neither true nor false");
  return { name, sha256: sha256.toLowerCase(), read: meterList(read, `${where}.read`, file), ingest: meterList(ingest, `${where}.ingest`, file), metrics, ...(tariffs ? { tariffs } : {}) };
}

function meterList(list: unknown, where: string, file: string): string[] {
  if (!Array.isArray(list)) throw new TokensFileError(file, `${where} is not a list of meter names`);
  list.forEach((meter, index) => {
    if (typeof meter !== "string" || (meter !== everyMeter && !isMeterName(meter))) {
      throw new TokensFileError(file, `${where}[${index}] is neither a meter name nor "${everyMeter}"`);
    }
  });
  return list as string[];
}

export function isTokenName(name: string): boolean {
  return /^[A-Za-z0-9._@-]{1,64}$/.test(name);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

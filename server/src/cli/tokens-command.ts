import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { everyMeter, isTokenName, readTokensFile, secretHash, tokensFileText, type TokenEntry } from "../access/tokens-file.js";
import { isMeterName } from "../meters/meter-name.js";
import { UsageError } from "./usage-error.js";

export async function tokensCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const [action, ...rest] = args;
  if (action !== "add") throw new UsageError(action === undefined ? "say what to do: tokens add" : `unknown tokens action ${JSON.stringify(action)}: use add`);
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: "string" },
      read: { type: "string", multiple: true },
      ingest: { type: "string", multiple: true },
      metrics: { type: "boolean" },
      tariffs: { type: "boolean" },
      file: { type: "string" },
    },
  });
  const file = values.file ?? (process.env.METERUSAGE_TOKENS || undefined);
  if (file === undefined) throw new UsageError("name the tokens file with --file FILE (or METERUSAGE_TOKENS)");
  if (values.name === undefined || !isTokenName(values.name)) throw new UsageError("--name must be 1 to 64 letters, digits or ._@-");
  const tokens = await existingTokens(file);
  if (tokens.some((token) => token.name === values.name)) throw new UsageError(`${file} already has a token named ${JSON.stringify(values.name)}`);

  const secret = randomBytes(32).toString("base64url");
  const entry: TokenEntry = {
    name: values.name,
    sha256: secretHash(secret),
    read: meterList(values.read, "--read"),
    ingest: meterList(values.ingest, "--ingest"),
    metrics: values.metrics ?? false,
    ...(values.tariffs ? { tariffs: true } : {}),
  };
  // Written whole beside the file, then renamed over it, so a service re-reading it never sees half a file.
  const text = tokensFileText([...tokens, entry]);
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, text, { mode: 0o600 });
  await rename(partial, file);
  out.write(`${secret}\n`);
  process.stderr.write(`added the token ${JSON.stringify(entry.name)} to ${file}; its secret above is shown only this once\n`);
}

async function existingTokens(file: string): Promise<TokenEntry[]> {
  return existsSync(file) ? readTokensFile(file) : [];
}

function meterList(given: string[] | undefined, flag: string): string[] {
  const meters = (given ?? []).flatMap((list) => list.split(",")).map((meter) => meter.trim()).filter(Boolean);
  for (const meter of meters) {
    if (meter !== everyMeter && !isMeterName(meter)) throw new UsageError(`${flag} ${JSON.stringify(meter)} is neither a meter name nor ${everyMeter}`);
  }
  return [...new Set(meters)];
}

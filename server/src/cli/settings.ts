import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.js";

/** One option of a command: a flag, the environment variable that sets it too, and its help. */
export interface Setting {
  flag: string;
  env?: string;
  /** What the value looks like in the help; absent for an on/off switch. */
  value?: string;
  defaultText?: string;
  help: string;
}

export type SettingValues = Record<string, string | boolean | undefined>;

/** Reads the flags, falling back to each setting's environment variable; flags win. */
export function readSettings(args: string[], settings: Setting[], positionals = false) {
  const { values, positionals: rest } = parseArgs({
    args,
    allowPositionals: positionals,
    options: Object.fromEntries(settings.map((s) => [s.flag, { type: s.value === undefined ? "boolean" : "string" }] as const)),
  });
  const read: SettingValues = {};
  for (const setting of settings) {
    const fromEnv = setting.env === undefined ? undefined : process.env[setting.env];
    const value = values[setting.flag] ?? (fromEnv === "" ? undefined : fromEnv);
    read[setting.flag] = setting.value === undefined ? value === true || value === "true" || value === "1" : value;
  }
  return { values: read, positionals: rest };
}

/** The options part of a command's help, one setting a line, with env and default. */
export function describeSettings(settings: Setting[]): string {
  const lines = settings.map((s) => {
    const name = `--${s.flag}${s.value === undefined ? "" : ` ${s.value}`}`;
    const extras = [s.env && `env ${s.env}`, s.defaultText && `default ${s.defaultText}`].filter(Boolean).join(", ");
    return `  ${name.padEnd(24)}${s.help}${extras ? ` (${extras})` : ""}`;
  });
  return ["Options:", ...lines, `  ${"-h, --help".padEnd(24)}show this help`].join("\n");
}

export function wholeNumber(text: string | boolean | undefined, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined || text === false) return fallback;
  const number = Number(text);
  if (typeof text !== "string" || !/^\d+$/.test(text) || number > max) {
    throw new UsageError(`${name} must be a whole number from 0 to ${max}, not ${JSON.stringify(text)}`);
  }
  return number;
}

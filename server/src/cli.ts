#!/usr/bin/env node
import { report } from "./cli/error-report.js";
import { exportUsage } from "./cli/export-usage.js";
import { importUsage } from "./cli/import-usage.js";
import { meterSetUsage, metersUsage } from "./cli/meters-usage.js";
import { serveUsage } from "./cli/serve-usage.js";
import { pricesUsage, tariffsUsage } from "./cli/tariffs-usage.js";
import { tokensUsage } from "./cli/tokens-usage.js";

const usage = `Usage: meterusage <command> [options]

Commands:
  serve              serve the stored readings over gRPC, gRPC-Web, Connect and JSON
  import FILE        store the readings of a file: CSV, Green Button XML or CSV, Octopus JSON
  export             write stored readings to stdout as CSV or Green Button XML
  meters             list the meters of a store with their figures
  meters set NAME    set a meter's unit, time zone and tariff
  tariffs set FILE   store a tariff from a JSON file; tariffs list prints them
  prices import TARIFF FILE.csv
                     store the prices of a dynamic tariff
  tokens add         add a named token to a tokens file (serve --tokens)

Run meterusage <command> --help for a command's options.`;

interface Command {
  usage: string;
  /** The command's work, imported only when it runs: help then loads none of the server. */
  load(): Promise<(args: string[]) => Promise<void>>;
}

const commands = new Map<string, Command>([
  ["serve", { usage: serveUsage, load: async () => (await import("./cli/serve-command.js")).serveCommand }],
  ["import", { usage: importUsage, load: async () => (await import("./cli/import-command.js")).importCommand }],
  ["export", { usage: exportUsage, load: async () => (await import("./cli/export-command.js")).exportCommand }],
  ["meters", { usage: metersUsage, load: async () => (await import("./cli/meters-command.js")).metersCommand }],
  ["meters set", { usage: meterSetUsage, load: async () => (await import("./cli/meter-set-command.js")).meterSetCommand }],
  ["tariffs", { usage: tariffsUsage, load: async () => (await import("./cli/tariffs-command.js")).tariffsCommand }],
  ["prices", { usage: pricesUsage, load: async () => (await import("./cli/tariffs-command.js")).pricesCommand }],
  ["tokens", { usage: tokensUsage, load: async () => (await import("./cli/tokens-command.js")).tokensCommand }],
]);

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(usage);
    return 0;
  }
  const subcommand = commands.get(`${name} ${args[0]}`);
  const command = subcommand ?? commands.get(name);
  const commandArgs = subcommand === undefined ? args : args.slice(1);
  if (command === undefined) {
    console.error(`meterusage: unknown command ${JSON.stringify(name)}\n\n${usage}`);
    return 2;
  }
  if (commandArgs.includes("--help") || commandArgs.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  try {
    const run = await command.load();
    await run(commandArgs);
    return 0;
  } catch (error) {
    return report(error, command.usage);
  }
}

process.exitCode = await main(process.argv.slice(2));

import { readFile } from "node:fs/promises";
import { openStore } from "../store/open-store.js";
import { checkTariffName } from "../pricing/check-tariff.js";
import { pricesFromCsv } from "../pricing/prices-csv.js";
import { tariffFromJson, tariffJson } from "../pricing/tariff-json.js";
import { databaseLocation } from "./options.js";
import { readSettings } from "./settings.js";
import { tariffsSettings } from "./tariffs-usage.js";
import { UsageError } from "./usage-error.js";

/** meterusage tariffs set FILE.json | tariffs list */
export async function tariffsCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const [action, ...rest] = args;
  if (action !== "set" && action !== "list") {
    throw new UsageError(action === undefined ? "say what to do: tariffs set FILE.json or tariffs list" : `unknown tariffs action ${JSON.stringify(action)}: use set or list`);
  }
  const { values, positionals } = readSettings(rest, tariffsSettings, true);
  if (action === "set" && positionals.length !== 1) throw new UsageError("tariffs set takes exactly one JSON file");
  if (action === "list" && positionals.length !== 0) throw new UsageError("tariffs list takes no file");
  // The file is read and checked before the store is opened: a bad one changes nothing.
  const tariff = action === "set" ? tariffFromJson(await readFile(positionals[0], "utf8")) : undefined;
  const store = await openStore(databaseLocation(values.db));
  try {
    if (tariff === undefined) {
      for (const stored of await store.tariffs.tariffs()) out.write(`${JSON.stringify(tariffJson(stored))}\n`);
      return;
    }
    await store.tariffs.putTariff(tariff);
  } finally {
    await store.close();
  }
  const versions = tariff.versions.length;
  out.write(`stored the tariff ${tariff.name} (${tariff.currency}, ${tariff.timeZone}, ${versions} version${versions === 1 ? "" : "s"})\n`);
}

/** meterusage prices import TARIFF FILE.csv */
export async function pricesCommand(args: string[], out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const [action, ...rest] = args;
  if (action !== "import") throw new UsageError(action === undefined ? "say what to do: prices import TARIFF FILE.csv" : `unknown prices action ${JSON.stringify(action)}: use import`);
  const { values, positionals } = readSettings(rest, tariffsSettings, true);
  if (positionals.length !== 2) throw new UsageError("prices import takes a tariff name and a CSV file");
  const tariff = checkTariffName(positionals[0], "the tariff");
  const prices = pricesFromCsv(await readFile(positionals[1], "utf8"));
  const store = await openStore(databaseLocation(values.db));
  try {
    const stored = await store.tariffs.putPrices(tariff, prices);
    out.write(`stored ${stored} price${stored === 1 ? "" : "s"} of the tariff ${tariff}\n`);
  } finally {
    await store.close();
  }
}

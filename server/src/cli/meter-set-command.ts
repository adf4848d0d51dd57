import { checkMeterName } from "../meters/meter-name.js";
import { checkTariffName } from "../pricing/check-tariff.js";
import { openStore } from "../store/open-store.js";
import { describeMeterSettings, hasMeterSettings, meterSettingsFlags } from "./meter-settings-flags.js";
import { meterSetSettings } from "./meters-usage.js";
import { databaseLocation } from "./options.js";
import { readSettings } from "./settings.js";
import { UsageError } from "./usage-error.js";

export async function meterSetCommand(args: string[]): Promise<void> {
  const { values, positionals } = readSettings(args, meterSetSettings, true);
  if (positionals.length !== 1) throw new UsageError("meters set takes exactly one meter name");
  const meter = checkMeterName(positionals[0]);
  const settings = meterSettingsFlags(values);
  const tariff = typeof values.tariff === "string" ? values.tariff : undefined;
  if (tariff) checkTariffName(tariff, "--tariff");
  if (!hasMeterSettings(settings) && tariff === undefined) throw new UsageError("give --unit, --time-zone, --tariff or several");
  const store = await openStore(databaseLocation(values.db));
  try {
    if (tariff !== undefined) await store.tariffs.setMeterTariff(meter, tariff);
    if (hasMeterSettings(settings)) await store.setMeterSettings(meter, settings);
  } finally {
    await store.close();
  }
  const described = [hasMeterSettings(settings) && describeMeterSettings(settings), tariff !== undefined && (tariff === "" ? "no tariff" : `tariff ${tariff}`)];
  console.log(`set ${described.filter(Boolean).join(", ")} on the meter ${meter}`);
}

import { checkMeterName } from "../meters/meter-name.js";
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
  if (!hasMeterSettings(settings)) throw new UsageError("give --unit, --time-zone or both");
  const store = await openStore(databaseLocation(values.db));
  try {
    await store.setMeterSettings(meter, settings);
  } finally {
    await store.close();
  }
  console.log(`set ${describeMeterSettings(settings)} on the meter ${meter}`);
}

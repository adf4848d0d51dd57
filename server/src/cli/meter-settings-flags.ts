import type { MeterSettings } from "../store/reading-store.js";
import { checkTimeZone } from "../usage/time-zone.js";
import type { SettingValues } from "./settings.js";
import { UsageError } from "./usage-error.js";

/** --unit and --time-zone as store settings; an unknown zone is a usage error before the store is opened. */
export function meterSettingsFlags(values: SettingValues): MeterSettings {
  const unit = typeof values.unit === "string" ? values.unit : undefined;
  return { unit, timeZone: timeZoneFlag(values["time-zone"]) };
}

/** A --time-zone flag's zone, checked: an unknown one is a usage error naming the flag. */
export function timeZoneFlag(value: string | boolean | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  try {
    return checkTimeZone(value, "--time-zone");
  } catch (error) {
    throw new UsageError(`--time-zone: ${(error as Error).message}`);
  }
}

export function hasMeterSettings({ unit, timeZone }: MeterSettings): boolean {
  return unit !== undefined || timeZone !== undefined;
}

/** As the command reports them: `unit "kWh", time zone Europe/London`. */
export function describeMeterSettings({ unit, timeZone }: MeterSettings): string {
  return [unit !== undefined && `unit ${JSON.stringify(unit)}`, timeZone !== undefined && `time zone ${timeZone}`].filter(Boolean).join(", ");
}

import type { MeterSettings } from "../store/reading-store.js";
import { checkTimeZone } from "../usage/time-zone.js";
import type { SettingValues } from "./settings.js";

/** --unit and --time-zone as store settings; an unknown zone is a usage error before the store is opened. */
export function meterSettingsFlags(values: SettingValues): MeterSettings {
  const unit = typeof values.unit === "string" ? values.unit : undefined;
  const timeZone = typeof values["time-zone"] === "string" ? checkTimeZone(values["time-zone"], "--time-zone") : undefined;
  return { unit, timeZone };
}

export function hasMeterSettings({ unit, timeZone }: MeterSettings): boolean {
  return unit !== undefined || timeZone !== undefined;
}

/** As the command reports them: `unit "kWh", time zone Europe/London`. */
export function describeMeterSettings({ unit, timeZone }: MeterSettings): string {
  return [unit !== undefined && `unit ${JSON.stringify(unit)}`, timeZone !== undefined && `time zone ${timeZone}`].filter(Boolean).join(", ");
}

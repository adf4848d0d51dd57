import { meterStyle, type MeterStyle } from "./meter-styles.js";
import type { UsageLoad } from "./usage-load.svelte.js";

/** A meter on the page: its load, the name it goes by and how its line is drawn. */
export interface ShownMeter {
  load: UsageLoad;
  label: string;
  style: MeterStyle;
}

/** `defaultMeter` names the meter requests for "" read, once the meter list has said. */
export function shownMeters(loads: UsageLoad[], defaultMeter = ""): ShownMeter[] {
  const defaultLabel = defaultMeter === "" ? "Default meter" : defaultMeter;
  return loads.map((load, index) => ({ load, label: load.meter === "" ? defaultLabel : load.meter, style: meterStyle(index) }));
}

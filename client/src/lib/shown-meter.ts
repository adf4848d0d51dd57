import { meterStyle, type MeterStyle } from "./meter-styles.js";
import type { UsageLoad } from "./usage-load.svelte.js";

/** A meter on the page: its load, the name it goes by and how its line is drawn. */
export interface ShownMeter {
  load: UsageLoad;
  label: string;
  style: MeterStyle;
}

export function shownMeters(loads: UsageLoad[]): ShownMeter[] {
  // Requests name the service's default meter as "", and its name is not known to the page.
  return loads.map((load, index) => ({ load, label: load.meter === "" ? "Default meter" : load.meter, style: meterStyle(index) }));
}

import { basename, extname } from "node:path";
import { firstMeterName } from "../meters/meter.js";
import type { CsvShapeOptions } from "./csv-shape.js";

/** How a file or body of any format is to be read. */
export interface InputOptions extends CsvShapeOptions {
  /** The zone a Green Button CSV's local times are read in; no other format needs one. */
  timeZone?: string;
  /** How the zone is given where this input comes from, for the message that asks for it. */
  timeZoneOption?: string;
  /** The unit of an Octopus file's values, kWh unless told. */
  unit?: string;
  /** The file's name, which names the meter of a file whose content names none. */
  fileName?: string;
}

/** A name made a meter name: characters a meter name cannot hold become `-`. */
export function meterNameFrom(text: string): string | undefined {
  const name = text.replace(/[^A-Za-z0-9._:-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 128);
  return name === "" ? undefined : name;
}

/** The meter of a file that names none: the one given, else the file's name without its extension, else the default meter. */
export function meterOfUnnamedFile(options: InputOptions): string {
  const fromFile = options.fileName === undefined ? undefined : meterNameFrom(basename(options.fileName, extname(options.fileName)));
  return options.meter ?? fromFile ?? options.valueColumnMeter ?? firstMeterName;
}

import { dbSetting, timeZoneSetting, unitSetting } from "./options.js";
import { describeSettings, type Setting } from "./settings.js";

export const metersSettings: Setting[] = [dbSetting];

export const metersUsage = `Usage: meterusage meters [options]
       meterusage meters set NAME [--unit TEXT] [--time-zone ZONE] [options]

Lists the meters of a store, one a line: name, readings stored, first and last time,
unit and time zone. The figures are kept current by every write, so listing reads no
readings. meters set sets a meter's unit and time zone (meterusage meters set --help).

${describeSettings(metersSettings)}`;

export const meterSetSettings: Setting[] = [unitSetting, timeZoneSetting, dbSetting];

export const meterSetUsage = `Usage: meterusage meters set NAME [--unit TEXT] [--time-zone ZONE] [options]

Sets the unit and the time zone of the meter NAME; a setting not given keeps its value.
The time zone is the one its days, weeks, months and years of usage are read in.

${describeSettings(meterSetSettings)}`;

import { dbSetting, tariffSetting, timeZoneSetting, unitSetting } from "./options.js";
import { describeSettings, type Setting } from "./settings.js";

export const metersSettings: Setting[] = [dbSetting];

export const metersUsage = `Usage: meterusage meters [options]
       meterusage meters set NAME [--unit TEXT] [--time-zone ZONE] [--tariff TARIFF] [options]

Lists the meters of a store, one a line: name, readings stored, first and last time,
unit, time zone and tariff. The figures are kept current by every write, so listing reads no
readings. meters set sets a meter's unit, time zone and tariff (meterusage meters set --help).

${describeSettings(metersSettings)}`;

export const meterSetSettings: Setting[] = [unitSetting, timeZoneSetting, tariffSetting, dbSetting];

export const meterSetUsage = `Usage: meterusage meters set NAME [--unit TEXT] [--time-zone ZONE] [--tariff TARIFF] [options]

Sets the unit, the time zone and the tariff of the meter NAME; a setting not given keeps its
value. The time zone is the one its days, weeks, months and years of usage are read in; the
tariff (meterusage tariffs set) prices its readings, and --tariff "" removes it.

${describeSettings(meterSetSettings)}`;

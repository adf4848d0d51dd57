import { dbSetting } from "./options.js";
import { describeSettings, type Setting } from "./settings.js";

export const exportSettings: Setting[] = [
  dbSetting,
  { flag: "start", value: "TIME", defaultText: "the first reading", help: "first time to export" },
  { flag: "end", value: "TIME", defaultText: "after the last reading", help: "time to stop before" },
  { flag: "meter", value: "NAME", defaultText: "the default meter", help: "the meter to export, as time,NAME" },
  { flag: "all", help: "every meter, as meter,time,value (a reading a line)" },
  { flag: "format", value: "csv|espi", defaultText: "csv", help: "espi writes one meter as a Green Button ESPI XML feed" },
];

export const exportUsage = `Usage: meterusage export [options] > readings.csv

Writes the readings of [start, end) to stdout as CSV in the import format: one meter
as time,<meter>, or with --all every meter as meter,time,value. A missing reading is
written as NaN; times are RFC 3339 in UTC. Importing the file gives back exactly the
same readings. With --format espi, one meter (--meter, else the default meter) is written
as a Green Button ESPI feed: a ReadingType in the meter's unit (kWh, m3 or therm), an
IntervalBlock a local day in the meter's time zone, and whole-number values with one
powerOfTenMultiplier that keeps every value exact; missing readings are left out.

${describeSettings(exportSettings)}`;

import { dbSetting, timeZoneSetting, unitSetting } from "./options.js";
import { describeSettings, type Setting } from "./settings.js";

export const importSettings: Setting[] = [
  dbSetting,
  { flag: "dry-run", help: "check the whole file against the store, then store nothing" },
  { flag: "replace", help: "remove the stored readings of every meter in the file first, in the same transaction" },
  { flag: "meter", value: "NAME", defaultText: "the column's header", help: "the meter of a file with one value column" },
  unitSetting,
  timeZoneSetting,
];

export const importUsage = `Usage: meterusage import FILE.csv [options]

Stores the readings of a CSV in one of two shapes, told apart by the header:
  time,<meter>[,<meter>...]   wide: a column a meter, named by its header
  meter,time,value            long: a reading a line, any meters, in any order
Times without an offset are UTC; NaN or an empty value is a missing reading. A meter
that does not exist yet is created. The whole file is stored in one transaction: a bad
row stores nothing and names its line and meter. --unit and --time-zone are then set on
every meter the file holds, as meterusage meters set does. Progress goes to stderr: a bar
on a terminal, a line every few seconds otherwise.

${describeSettings(importSettings)}`;

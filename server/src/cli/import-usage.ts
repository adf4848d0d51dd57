import { dbSetting, timeZoneSetting, unitSetting } from "./options.js";
import { describeSettings, type Setting } from "./settings.js";

export const importSettings: Setting[] = [
  dbSetting,
  { flag: "dry-run", help: "check the whole file against the store, then store nothing" },
  { flag: "replace", help: "remove the stored readings of every meter in the file first, in the same transaction" },
  {
    flag: "meter",
    value: "NAME",
    defaultText: "the column's header, the UsagePoint's title, or the file's name",
    help: "the meter of a file with one value column or one MeterReading",
  },
  unitSetting,
  { ...timeZoneSetting, help: `${timeZoneSetting.help}; a Green Button CSV's local times are read in it, and it needs one` },
];

export const importUsage = `Usage: meterusage import FILE [options]

Stores the readings of a file, its format told by its content:
  CSV in one of two shapes, told apart by the header (with , or the spreadsheet
  dialect's ; and decimal comma; quoted fields as RFC 4180; times as text or epoch
  seconds or milliseconds):
    time,<meter>[,<meter>...]   wide: a column a meter, named by its header
    meter,time,value            long: a reading a line, any meters, in any order
  Green Button ESPI XML         a meter each MeterReading, named after its UsagePoint
  Green Button CSV              TYPE,DATE,START TIME,...: local times, so --time-zone is needed
  Octopus Energy JSON           consumption pages (one, an array, or JSON lines), in kWh
                                unless --unit says otherwise
Times without an offset are UTC; NaN or an empty value is a missing reading. A meter
that does not exist yet is created. The whole file is stored in one transaction: a bad
row stores nothing and names its line and meter. A file that gives its unit (ESPI,
Green Button CSV) sets it on its meters. --unit and --time-zone are then set on every
meter the file holds, as meterusage meters set does. Progress goes to stderr: a bar
on a terminal, a line every few seconds otherwise.

${describeSettings(importSettings)}`;

import { dbSetting } from "./options.js";
import { describeSettings, type Setting } from "./settings.js";

export const tariffsSettings: Setting[] = [dbSetting];

export const tariffsUsage = `Usage: meterusage tariffs set FILE.json [options]
       meterusage tariffs list [options]

tariffs set stores the tariff of a JSON file (the body of PUT /api/tariffs/NAME), replacing
the whole of one stored under its name. tariffs list prints every stored tariff as that JSON,
one a line. Give a meter a tariff with meterusage meters set NAME --tariff TARIFF.

${describeSettings(tariffsSettings)}`;

export const pricesUsage = `Usage: meterusage prices import TARIFF FILE.csv [options]

Stores the prices of a CSV file of start,end,price (a header line, then a price a line, times
in RFC 3339) in the price series of the tariff TARIFF, which its dynamic versions price readings
by. A price with the start of a stored one replaces it. A bad line stores nothing.

${describeSettings(tariffsSettings)}`;

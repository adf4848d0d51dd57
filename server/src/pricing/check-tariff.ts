import { isMeterName } from "../meters/meter-name.js";
import { checkTimeZone } from "../usage/time-zone.js";
import { InvalidTariffError } from "../tariffs/invalid-tariff-error.js";
import { weekdays, type Price, type Rate, type Tariff, type TariffVersion } from "../tariffs/tariff.js";

/** A tariff as a request gives it, before it is checked: a version may lack its valid_from. */
export interface TariffInput extends Omit<Tariff, "versions"> {
  versions: (Omit<TariffVersion, "validFrom"> & { validFrom?: number })[];
}

/**
 * How fields are named in errors: proto names (`versions[0].valid_from`) for RPC callers,
 * Connect's JSON names (`versions[0].validFrom`) for JSON bodies and files.
 */
export type FieldNaming = "proto" | "json";

const windowPattern = /^([01]\d|2[0-3]):([0-5]\d)$/;
const currencies = new Set(Intl.supportedValuesOf("currency"));

/**
 * The tariff as it is stored: currency in upper case, days in lower case, versions ordered by
 * valid_from; or throws InvalidTariffError naming the first field at fault, under `prefix`.
 */
export function checkTariff(input: TariffInput, naming: FieldNaming, prefix = ""): Tariff {
  const field = (name: string) => prefix + (naming === "json" ? camelCase(name) : name);
  checkTariffName(input.name, field("name"));
  const currency = input.currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency) || !currencies.has(currency)) {
    throw new InvalidTariffError(field("currency"), `${quote(input.currency)} is not an ISO 4217 currency code such as GBP, EUR or USD`);
  }
  if (input.timeZone === "") throw new InvalidTariffError(field("time_zone"), "is needed: the IANA time zone of the windows and days, such as Europe/London");
  try {
    checkTimeZone(input.timeZone, field("time_zone"));
  } catch {
    throw new InvalidTariffError(field("time_zone"), `${quote(input.timeZone)} is not an IANA time zone such as Europe/London`);
  }
  if (input.versions.length === 0) throw new InvalidTariffError(field("versions"), "give at least one version, with its valid_from and rates or dynamic");
  const versions = input.versions.map((version, index) => checkVersion(version, (name) => field(`versions[${index}].${name}`)));
  versions.forEach((version, index) => {
    const earlier = versions.findIndex(({ validFrom }) => validFrom === version.validFrom);
    if (earlier !== index) throw new InvalidTariffError(field(`versions[${index}].valid_from`), `is the same as versions[${earlier}]'s: each version needs a valid_from of its own`);
  });
  return { name: input.name, currency, timeZone: input.timeZone, versions: versions.sort((a, b) => a.validFrom - b.validFrom) };
}

/** Tariffs are named as meters are; throws InvalidTariffError naming `field` otherwise. */
export function checkTariffName(name: string, field: string): string {
  if (!isMeterName(name)) throw new InvalidTariffError(field, `${quote(name)} is not a tariff name: use 1 to 128 letters, digits or ._:-`);
  return name;
}

function checkVersion(version: TariffInput["versions"][number], field: (name: string) => string): TariffVersion {
  if (version.validFrom === undefined) throw new InvalidTariffError(field("valid_from"), "is needed: the time the version comes into force");
  if (!Number.isFinite(version.standingChargePerDay)) throw new InvalidTariffError(field("standing_charge_per_day"), "is not a number");
  if (version.dynamic && version.rates.length > 0) {
    throw new InvalidTariffError(field("rates"), "a dynamic version is priced by the tariff's price series: leave its rates out");
  }
  const rates = version.rates.map((rate, index) => checkRate(rate, (name) => field(`rates[${index}].${name}`)));
  return { validFrom: version.validFrom, standingChargePerDay: version.standingChargePerDay, rates, dynamic: version.dynamic };
}

function checkRate(rate: Rate, field: (name: string) => string): Rate {
  if (!Number.isFinite(rate.price)) throw new InvalidTariffError(field("price"), "is not a number");
  if (rate.windowStart !== "" && !windowPattern.test(rate.windowStart)) {
    throw new InvalidTariffError(field("window_start"), `${quote(rate.windowStart)} is not a local time HH:MM from 00:00 to 23:59`);
  }
  if (rate.windowEnd !== "" && rate.windowEnd !== "24:00" && !windowPattern.test(rate.windowEnd)) {
    throw new InvalidTariffError(field("window_end"), `${quote(rate.windowEnd)} is not a local time HH:MM from 00:00 to 24:00`);
  }
  const days = rate.days.map((day, index) => {
    const known = weekdays.find((name) => name === day.trim().toLowerCase());
    if (known === undefined) throw new InvalidTariffError(field(`days[${index}]`), `${quote(day)} is not a day: use mon, tue, wed, thu, fri, sat or sun`);
    return known;
  });
  return { price: rate.price, windowStart: rate.windowStart, windowEnd: rate.windowEnd, days };
}

/** Prices with a start and an end after it; `field` names a price's field for errors. */
export function checkPrices(prices: (Partial<Price> & { price: number })[], field: (index: number, name: string) => string): Price[] {
  return prices.map(({ start, end, price }, index) => {
    if (start === undefined) throw new InvalidTariffError(field(index, "start"), "is needed");
    if (end === undefined) throw new InvalidTariffError(field(index, "end"), "is needed");
    if (end <= start) throw new InvalidTariffError(field(index, "end"), "is not after the start");
    if (!Number.isFinite(price)) throw new InvalidTariffError(field(index, "price"), "is not a number");
    return { start, end, price };
  });
}

function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function quote(text: string): string {
  return JSON.stringify(text.length > 140 ? `${text.slice(0, 140)}…` : text);
}

import { formatTimestamp, parseTimestamp } from "../readings/timestamp-text.js";
import { checkPrices, checkTariff } from "./check-tariff.js";
import { InvalidTariffError } from "../tariffs/invalid-tariff-error.js";
import type { Price, Tariff } from "../tariffs/tariff.js";

// A tariff in Connect's JSON names, as the PUT body, `tariffs set FILE.json` and GET /api/tariffs
// write it; the proto names (time_zone, valid_from, ...) are read too, as Connect reads them.

type JsonObject = Record<string, unknown>;

/**
 * A tariff from its JSON text, checked; throws InvalidTariffError naming the field at fault.
 * With `pathName` (a PUT's), a body without a name takes it, and one naming another is refused.
 */
export function tariffFromJson(text: string, pathName?: string): Tariff {
  const document = parseJson(text);
  const tariff = object(document, "the tariff");
  const named = string(tariff, "name", "name");
  if (pathName !== undefined && named !== "" && named !== pathName) {
    throw new InvalidTariffError("name", `the body names the tariff ${JSON.stringify(named)}, the path ${JSON.stringify(pathName)}`);
  }
  const versions = list(tariff, "versions", "versions");
  return checkTariff(
    {
      name: named || (pathName ?? ""),
      currency: string(tariff, "currency", "currency"),
      timeZone: string(tariff, "timeZone", "timeZone"),
      versions: versions.map((item, index) => {
        const where = `versions[${index}]`;
        const version = object(item, where);
        return {
          validFrom: timestamp(version, "validFrom", `${where}.validFrom`),
          standingChargePerDay: number(version, "standingChargePerDay", `${where}.standingChargePerDay`),
          dynamic: boolean(version, "dynamic", `${where}.dynamic`),
          rates: list(version, "rates", `${where}.rates`).map((rateItem, rateIndex) => {
            const rateWhere = `${where}.rates[${rateIndex}]`;
            const rate = object(rateItem, rateWhere);
            return {
              price: number(rate, "price", `${rateWhere}.price`),
              windowStart: string(rate, "windowStart", `${rateWhere}.windowStart`),
              windowEnd: string(rate, "windowEnd", `${rateWhere}.windowEnd`),
              days: list(rate, "days", `${rateWhere}.days`).map((day, dayIndex) => stringValue(day, `${rateWhere}.days[${dayIndex}]`)),
            };
          }),
        };
      }),
    },
    "json",
  );
}

/** A stored tariff in Connect's JSON names, every field written. */
export function tariffJson(tariff: Tariff) {
  return {
    name: tariff.name,
    currency: tariff.currency,
    timeZone: tariff.timeZone,
    versions: tariff.versions.map(({ validFrom, ...version }) => ({ validFrom: formatTimestamp(validFrom), ...version })),
  };
}

/** `{"prices":[{"start":...,"end":...,"price":...}]}`, checked. */
export function pricesFromJson(text: string): Price[] {
  const body = object(parseJson(text), "the body");
  const items = list(body, "prices", "prices");
  return checkPrices(
    items.map((item, index) => {
      const where = `prices[${index}]`;
      const price = object(item, where);
      return { start: timestamp(price, "start", `${where}.start`), end: timestamp(price, "end", `${where}.end`), price: number(price, "price", `${where}.price`) };
    }),
    (index, name) => `prices[${index}].${name}`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidTariffError("the body", `is not JSON (${(error as Error).message})`);
  }
}

function object(value: unknown, where: string): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidTariffError(where, "is not a JSON object");
  return value as JsonObject;
}

/** A field by its JSON name or its proto name; undefined or null when absent. */
function fieldOf(holder: JsonObject, jsonName: string): unknown {
  const protoName = jsonName.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  return holder[jsonName] ?? holder[protoName];
}

function string(holder: JsonObject, name: string, where: string): string {
  const value = fieldOf(holder, name);
  return value === undefined || value === null ? "" : stringValue(value, where);
}

function stringValue(value: unknown, where: string): string {
  if (typeof value !== "string") throw new InvalidTariffError(where, "is not a string");
  return value;
}

function number(holder: JsonObject, name: string, where: string): number {
  const value = fieldOf(holder, name);
  if (value === undefined || value === null) return 0;
  // Connect's JSON may write a double as a string, and writes NaN and Infinity so.
  const read = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof read !== "number" || !Number.isFinite(read)) throw new InvalidTariffError(where, `${JSON.stringify(value)} is not a number`);
  return read;
}

function boolean(holder: JsonObject, name: string, where: string): boolean {
  const value = fieldOf(holder, name);
  if (value === undefined || value === null) return false;
  if (typeof value !== "boolean") throw new InvalidTariffError(where, "is neither true nor false");
  return value;
}

function list(holder: JsonObject, name: string, where: string): unknown[] {
  const value = fieldOf(holder, name);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidTariffError(where, "is not a list");
  return value;
}

function timestamp(holder: JsonObject, name: string, where: string): number | undefined {
  const value = fieldOf(holder, name);
  if (value === undefined || value === null) return undefined;
  const time = typeof value === "string" ? parseTimestamp(value) : undefined;
  if (time === undefined) throw new InvalidTariffError(where, `${JSON.stringify(value)} is not an RFC 3339 time such as 2024-04-01T00:00:00+01:00`);
  return time;
}

import type { Tariff, TariffVersion } from "../tariffs/tariff.js";

/** A tariff's versions as the JSON text its row keeps: rates and all, read back whole. */
export function versionsText(tariff: Tariff): string {
  return JSON.stringify(tariff.versions);
}

export function tariffOfRow(name: string, currency: string, timeZone: string, versions: string): Tariff {
  return { name, currency, timeZone, versions: JSON.parse(versions) as TariffVersion[] };
}

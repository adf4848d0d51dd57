import type { Usage } from "./usage-source.js";

const moneyFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An amount as a bill writes it: "GBP 71.23". */
export function moneyText(currency: string, amount: number): string {
  return `${currency} ${moneyFormat.format(amount)}`;
}

/** The meters with a tariff, and their one currency, or undefined when they have none or several. */
export function pricedMeters(usage: Usage): { meters: Usage["meters"]; currency: string | undefined } {
  const meters = usage.meters.filter(({ currency }) => currency !== "");
  const currencies = [...new Set(meters.map(({ currency }) => currency))];
  return { meters, currency: currencies.length === 1 ? currencies[0] : undefined };
}

/** A range's energy of every meter, and the cost of those with a tariff when they share a currency. */
export interface RangeTotals {
  energy: number;
  cost?: number;
  currency?: string;
}

export function rangeTotals(usage: Usage): RangeTotals {
  const energy = usage.meters.reduce((sum, { periods }) => sum + periods.reduce((meterSum, { sum: periodSum }) => meterSum + periodSum, 0), 0);
  const { meters, currency } = pricedMeters(usage);
  if (currency === undefined) return { energy };
  const cost = meters.reduce((sum, { periods }) => sum + periods.reduce((meterSum, period) => meterSum + (period.cost ?? 0), 0), 0);
  return { energy, cost, currency };
}

/** The change from `before` to `now` as a signed percentage, or undefined when there was nothing before. */
export function changeText(now: number, before: number): string | undefined {
  if (before === 0) return undefined;
  const change = ((now - before) / Math.abs(before)) * 100;
  return `${change >= 0 ? "+" : "−"}${Math.abs(change).toFixed(1)}%`;
}

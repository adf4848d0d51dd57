const countFormat = new Intl.NumberFormat("en-US");
// At least two decimals so that a column of values lines up; up to six so that none is rounded.
const valueFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 });
const statisticFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

export function countText(count: number): string {
  return countFormat.format(count);
}

export function valueText(value: number | null): string {
  return value === null ? "missing" : valueFormat.format(value);
}

/** Computed values such as the mean, rounded so that cards stay short. */
export function statisticText(value: number): string {
  return statisticFormat.format(value);
}
